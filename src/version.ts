import packageJson from '../package.json';

/** The version of carepath, as published. */
export const version: string = packageJson.version;
