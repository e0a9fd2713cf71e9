/* eslint-disable */
// Types of the validators `npm run gen` writes to validators.js (ajv standalone code).
import type { ValidateFunction } from 'ajv';

export declare const pathway: ValidateFunction;
export declare const knowledge: ValidateFunction;
export declare const patient: ValidateFunction;
export declare const report: ValidateFunction;
export declare const fixture: ValidateFunction;
