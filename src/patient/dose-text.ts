/**
 * Reads the daily dose from a dose instruction written in words, as English prescriptions give
 * it when no structured dose comes with them ("one tablet twice a day", "2 puffs BD", "take ONE
 * daily", "500mg three times a day"). Only a plain instruction is read: one amount, one
 * frequency and nothing that makes the dose vary or depend on something ("one or two", "1-2",
 * "up to", "when required", "as directed", "reduce", "then", a second instruction after ";").
 * Anything else gives undefined, and the dose stays unknown.
 */

/** An amount and frequency read from words: milligrams or units of the product (tablets, capsules, puffs) each time, and administrations a day. */
export interface DoseFromText {
  readonly mg?: number;
  readonly units?: number;
  readonly perDay: number;
  /** The dose in carepath's words, for the note that says it was read from text ("2 puffs twice a day"). */
  readonly read: string;
}

/**
 * What makes an instruction more than one plain dose: a choice or range ("one or two", "1-2",
 * "up to"), a condition or change ("when required", "reduce", "then"), a second instruction
 * (";"), a measure carepath does not count (drops, ml, units), or a rhythm longer than a day.
 */
const NOT_PLAIN = /\b(?:or|up to|when|whenever|required|needed|prn|directed|directions|if|reduc\w*|increas\w*|then|alternate|until|titrat\w*|max(?:imum)?|varies|variable|sliding|stat|apply|drops?|ml|millilitres?|spoonfuls?|sachets?|patch(?:es)?|units?|week\w*|month\w*)\b|(?:\d|\b(?:one|two|three|four))\s*(?:to|-|–)\s*(?:\d|one|two|three|four)\b|[;/]/;

/** Amounts written as words. */
const AMOUNT_WORDS: Readonly<Record<string, number>> = { half: 0.5, one: 1, two: 2, three: 3, four: 4 };

/** Units of the product, counted. */
const COUNTED = /^(?:tablets?|tabs?|capsules?|caps?|puffs?|inhalations?|doses?)$/;

/** Units of mass, as milligrams in one. */
const MASS: Readonly<Record<string, number>> = { mg: 1, milligram: 1, milligrams: 1, g: 1000, gram: 1000, grams: 1000, microgram: 0.001, micrograms: 0.001, mcg: 0.001 };

/** Frequencies: administrations a day, by the words that give them (longest first where one contains another). */
const FREQUENCIES: readonly [RegExp, number][] = [
  [/\b(?:four times (?:a|per|each) day|four times daily|4 times (?:a|per|each) day|4 times daily|qds|qid)\b/, 4],
  [/\b(?:three times (?:a|per|each) day|three times daily|3 times (?:a|per|each) day|3 times daily|tds|tid)\b/, 3],
  [/\b(?:twice (?:a|per|each) day|twice daily|two times (?:a|per|each) day|2 times (?:a|per|each) day|2 times daily|bd|bid|morning and (?:night|evening))\b/, 2],
  [/\b(?:once (?:a|per|each) day|once daily|1 times? (?:a|per|each) day|daily|every day|each day|od)\b/, 1],
];

/** A time of day, which makes one administration a day, alone or with "once a day". */
const TIME_OF_DAY = /\b(?:in the morning|every morning|each morning|at night|every night|each night|at bedtime|nocte|mane)\b/;

/** "every 6 hours": administrations a day when the interval divides the day. */
const EVERY_HOURS = /\bevery (\d+|four|six|eight|twelve) hours?\b/;
const HOUR_WORDS: Readonly<Record<string, number>> = { four: 4, six: 6, eight: 8, twelve: 12 };

/** How long to take it ("for 5 days"), which says nothing of the dose a day. */
const DURATION = /\bfor (?:\d+|one|two|three|four|five|six|seven|ten|fourteen) days?\b/g;

/** Words that may follow a bare count ("one at night", "one to be taken daily"): a count of the product. */
const AFTER_COUNT = new Set(['to', 'at', 'in', 'each', 'every', 'with', 'by', 'orally']);

/** An amount: a number or a word for one. */
function amountWord(word: string): number | undefined {
  return /^\d+(?:\.\d+)?$/.test(word) ? Number(word) : AMOUNT_WORDS[word];
}

/**
 * The amount each time, when the words hold exactly one: with a unit of mass, or of the product
 * (tablets, puffs); a bare count is a count of the product ("take one daily").
 */
function amountOf(words: readonly string[]): { mg?: number; units?: number; what: string } | undefined {
  const at = words.flatMap((word, i) => (amountWord(word) !== undefined || /^\d+(?:\.\d+)?(?:mg|g|mcg|micrograms?)$/.test(word) ? [i] : []));
  if (at.length !== 1) return undefined;
  const i = at[0] as number;
  const word = words[i] as string;
  // "500mg" written as one word.
  const joined = /^(\d+(?:\.\d+)?)(mg|g|mcg|micrograms?)$/.exec(word);
  if (joined !== null) return { mg: Number(joined[1]) * (MASS[joined[2] as string] ?? Number.NaN), what: 'mg' };
  const amount = amountWord(word) as number;
  const next = words[i + 1];
  const mass = next === undefined ? undefined : MASS[next];
  if (mass !== undefined) return { mg: amount * mass, what: 'mg' };
  // "half a tablet".
  const counted = next === 'a' ? words[i + 2] : next;
  if (counted !== undefined && COUNTED.test(counted)) return { units: amount, what: counted };
  if (counted === undefined || AFTER_COUNT.has(counted)) return { units: amount, what: 'of the product' };
  return undefined;
}

/** The text with every match of a pattern taken out, and the matches. */
function takeOut(text: string, pattern: RegExp): { rest: string; matches: RegExpMatchArray[] } {
  const matches = [...text.matchAll(new RegExp(pattern.source, 'g'))];
  return { rest: text.replace(new RegExp(pattern.source, 'g'), ' '), matches };
}

/** The dose a plain instruction in words gives, or undefined when it is not plain (see the module's comment). */
export function doseFromText(text: string): DoseFromText | undefined {
  const lower = text.toLowerCase().replace(/[.,()]/g, ' ');
  if (NOT_PLAIN.test(lower)) return undefined;
  let rest = lower.replace(DURATION, ' ');
  // Exactly one frequency, so that "in the morning and two at night" is not read as one dose a day;
  // every interval in hours must divide the day.
  const perDay: number[] = [];
  const hours = takeOut(rest, EVERY_HOURS);
  rest = hours.rest;
  for (const match of hours.matches) perDay.push(24 / (HOUR_WORDS[match[1] as string] ?? Number(match[1])));
  for (const [pattern, n] of FREQUENCIES) {
    const taken = takeOut(rest, pattern);
    rest = taken.rest;
    for (let k = 0; k < taken.matches.length; k++) perDay.push(n);
  }
  const timeOfDay = takeOut(rest, TIME_OF_DAY);
  rest = timeOfDay.rest;
  // One time of day is one administration a day, and says no more when "once a day" comes with it.
  if (timeOfDay.matches.length === 1 && (perDay.length === 0 || (perDay.length === 1 && perDay[0] === 1))) perDay.splice(0, perDay.length, 1);
  else if (timeOfDay.matches.length > 0) return undefined;
  const [daily] = perDay;
  if (perDay.length !== 1 || daily === undefined || !Number.isInteger(daily)) return undefined;
  const amount = amountOf(rest.split(/\s+/).filter((w) => w.length > 0));
  const each = amount?.mg ?? amount?.units;
  if (amount === undefined || each === undefined || !Number.isFinite(each) || each <= 0) return undefined;
  const times = daily === 1 ? 'once' : daily === 2 ? 'twice' : `${daily} times`;
  return { ...(amount.mg === undefined ? { units: each } : { mg: each }), perDay: daily, read: `${each} ${amount.what} ${times} a day` };
}
