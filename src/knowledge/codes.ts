/**
 * Format checks for the code systems carepath stores: SNOMED CT (with its Verhoeff check
 * digit), ATC, RxNorm, dm+d and LOINC (with its mod-10 check digit).
 */

// Verhoeff tables: multiplication in the dihedral group D5, the permutation, and the inverse.
const d = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const p = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when a digit string passes the Verhoeff check (its last digit is the check digit). */
export function verhoeffValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let c = 0;
  const reversed = digits.split('').reverse();
  for (let i = 0; i < reversed.length; i++) {
    c = d[c]?.[p[i % 8]?.[Number(reversed[i])] ?? 0] ?? 0;
  }
  return c === 0;
}

/**
 * True when `code` is a well-formed SNOMED CT concept id: 6 to 18 digits, no leading zero,
 * a partition identifier for a concept (00 or 10 in the second- and third-last digits), and a
 * valid Verhoeff check digit. dm+d ids are SNOMED CT ids and pass the same check.
 */
export function isSnomedConceptId(code: string): boolean {
  if (!/^[1-9][0-9]{5,17}$/.test(code)) return false;
  const partition = code.slice(-3, -1);
  return (partition === '00' || partition === '10') && verhoeffValid(code);
}

/** True when `code` is a 7-character ATC chemical-substance code such as `R03AC02`. */
export function isAtcCode(code: string): boolean {
  return /^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$/.test(code);
}

/** True when `code` is a numeric RxNorm concept id. */
export function isRxnormId(code: string): boolean {
  return /^[1-9][0-9]{0,8}$/.test(code);
}

/** True when `code` is a LOINC code whose check digit (mod 10, Luhn) is right, such as `19926-5`. */
export function isLoincCode(code: string): boolean {
  const match = /^([0-9]{1,7})-([0-9])$/.exec(code);
  if (match === null) return false;
  const body = match[1] ?? '';
  let sum = 0;
  const digits = body.split('').reverse().map(Number);
  digits.forEach((digit, i) => {
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
  });
  return (10 - (sum % 10)) % 10 === Number(match[2]);
}
