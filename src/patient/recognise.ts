import type { DataQualityNote } from '../schema/generated/report.js';
import { fact } from '../facts.js';
import { compareText } from '../order.js';
import { buildMatcher, classAllergyIndex, wholeTextKey, drugLookupCodes, type MedicationMatcher } from '../knowledge/matcher.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { inCanonicalUnit, unitConversion } from '../knowledge/units.js';
import { doseFromText } from './dose-text.js';
import {
  isCurrentStatus,
  toLatestTime,
  toTime,
  type MedicationStatus,
  type ObservationComparator,
  type RecordAllergy,
  type RecordCondition,
  type RecordEvent,
  type RecordMedication,
  type RecordObservation,
} from './record.js';

/** The comparators that make a result a bound, as FHIR spells them ("ad", "sufficient to achieve", is not one). */
const BOUNDS: ReadonlyMap<string, ObservationComparator> = new Map(['<', '<=', '>', '>='].map((c) => [c, c as ObservationComparator]));

/** A code with carepath's short system name (`snomed`, `icd10`, `loinc`, `rxnorm`, `dmd`, `atc`) or another system's URI. */
export interface InputCode {
  /** The system. */
  readonly system: string;
  /** The code. */
  readonly code: string;
  /** The display text, when given. */
  readonly display?: string;
}

/** A medication as an adapter read it, before recognition. */
export interface MedicationInput {
  /** Codes of the medication. */
  readonly codes: readonly InputCode[];
  /** The text as written. */
  readonly text?: string;
  /** carepath ingredient ids, when the input names them directly. */
  readonly ingredients?: readonly string[];
  /** The status. */
  readonly status: MedicationStatus;
  /** Administrations a day, when known. */
  readonly perDay?: number;
  /** Whether it is taken only when needed (PRN), not regularly. */
  readonly asNeeded?: boolean;
  /** Whether it is a short (acute) course, not expected to be renewed: not a regular medicine. */
  readonly acute?: boolean;
  /** Milligrams a day, when the dose is known by mass. */
  readonly mgPerDay?: number;
  /** Units of the product (tablets, puffs) a day, when the dose counts them; the product's strength gives the milligrams. */
  readonly unitsPerDay?: number;
  /** The dose as written. */
  readonly doseText?: string;
  /** When it was started or prescribed (a date or date-time), when known. */
  readonly start?: string;
  /** When it was last taken (a date or date-time), when the input says it ended. */
  readonly end?: string;
  /** Why it is only proposed or planned, not prescribed (a FHIR MedicationRequest's intent `proposal`, `plan` or `option`): it then never counts as current. */
  readonly notOrdered?: string;
  /** Where the later prescription is that names this one as its prior (a FHIR MedicationRequest's priorPrescription): this one is then replaced and never counts as current. */
  readonly supersededBy?: string;
}

/** A condition as an adapter read it. */
export interface ConditionInput {
  /** Codes of the condition. */
  readonly codes: readonly InputCode[];
  /** The text as written. */
  readonly text?: string;
  /** A carepath concept id, when the input names one. */
  readonly concept?: string;
  /** Present, refuted (known absent) or past. */
  readonly state: RecordCondition['state'];
  /** Onset date, when known. */
  readonly onset?: string;
  /** When it ended, for a condition that has (resolved, inactive, in remission). */
  readonly abatement?: string;
}

/** A measurement as an adapter read it. */
export interface ObservationInput {
  /** Codes of the measurement. */
  readonly codes: readonly InputCode[];
  /** A carepath concept id, when the input names one. */
  readonly concept?: string;
  /** The value. */
  readonly value: number;
  /** The unit as written. */
  readonly unit: string;
  /** The unit as a UCUM code, when the input gives one beside the written unit (a FHIR Quantity's `code`); tried first. */
  readonly unitCode?: string;
  /** How the true value relates to `value` when it is only a bound (a FHIR Quantity's `comparator`, as written). */
  readonly comparator?: string;
  /** When it was measured. */
  readonly date: string;
}

/** An event as an adapter read it. */
export interface EventInput {
  /** Codes of the event. */
  readonly codes: readonly InputCode[];
  /** A carepath concept id, when the input names one. */
  readonly concept?: string;
  /** When it happened. */
  readonly date: string;
}

/**
 * Recognises the items of one patient against the knowledge base and collects a data-quality
 * note for everything it cannot use, so that nothing in the input is silently dropped.
 * Unrecognised conditions and observations are noted once per distinct code, with a count.
 */
export interface Recogniser {
  /** Recognises a medication; an unrecognised one is kept, with no ingredients, and noted. */
  medication(input: MedicationInput, location: string): RecordMedication;
  /** Recognises a condition; returns it with its concepts (possibly none, then noted), and an event when its code is an event's. */
  condition(input: ConditionInput, location: string): { condition: RecordCondition; event?: RecordEvent };
  /** Recognises a measurement, converting it to the canonical unit; undefined (and noted) when it cannot be used. */
  observation(input: ObservationInput, location: string): RecordObservation | undefined;
  /** Recognises an event; undefined (and noted) when its concept is unknown. */
  event(input: EventInput, location: string): RecordEvent | undefined;
  /** Recognises the substance of an allergy: the allergy with the ingredients it rules out, or undefined (and noted) when none is known. */
  allergy(codes: readonly InputCode[], text: string | undefined, ingredients: readonly string[] | undefined, location: string): RecordAllergy | undefined;
  /** Adds a note that an adapter found. */
  note(note: DataQualityNote): void;
  /** Every note so far, grouped notes last. */
  notes(): DataQualityNote[];
}

/** Canonical order of data-quality notes: by code, location, text, then message, so that the order of the input never shows in a report. */
export function compareNotes(a: DataQualityNote, b: DataQualityNote): number {
  return compareText(a.code, b.code) || compareText(a.location, b.location) || compareText(a.text ?? '', b.text ?? '') || compareText(a.message, b.message);
}

/** Data-quality notes in canonical order (`compareNotes`): a new list. */
export function canonicalNotes(notes: readonly DataQualityNote[]): DataQualityNote[] {
  return [...notes].sort(compareNotes);
}

/**
 * Notes in canonical order with a few more put in their places: a new list. A check adds one
 * or two notes of its own to a record's tens, so they are placed rather than the whole list
 * sorted again.
 */
export function withNotes(canonical: readonly DataQualityNote[], extra: readonly DataQualityNote[]): DataQualityNote[] {
  const out = [...canonical];
  for (const note of extra) {
    let at = out.length;
    while (at > 0 && compareNotes(out[at - 1] as DataQualityNote, note) > 0) at--;
    out.splice(at, 0, note);
  }
  return out;
}

/** The medication matcher of a knowledge base, built once and cached. */
export const matcherFor = fact((knowledge: KnowledgeBase): MedicationMatcher => buildMatcher(knowledge));

/** The drug classes an allergy may name as a whole, per knowledge base, built once. */
const classAllergiesFor = fact(classAllergyIndex);

/** Maps FHIR and other system URIs to carepath's short system names; short names pass through. */
export function shortSystem(system: string | undefined): string {
  switch (system) {
    case 'http://snomed.info/sct':
      return 'snomed';
    case 'http://loinc.org':
      return 'loinc';
    case 'http://www.nlm.nih.gov/research/umls/rxnorm':
      return 'rxnorm';
    case 'http://hl7.org/fhir/sid/icd-10':
    case 'http://hl7.org/fhir/sid/icd-10-cm':
    case 'http://hl7.org/fhir/sid/icd-10-uk':
      return 'icd10';
    case 'http://www.whocc.no/atc':
      return 'atc';
    case 'https://dmd.nhs.uk':
    case 'http://dmd.nhs.uk':
      return 'dmd';
    default:
      return system ?? 'unknown';
  }
}

function describeCodes(codes: readonly InputCode[]): string {
  return codes.map((c) => `${c.system} ${c.code}${c.display === undefined ? '' : ` "${c.display}"`}`).join(', ');
}

/**
 * Dose instructions that say a medicine is taken only when needed, as UK and other prescriptions
 * write it ("two puffs when required", "as needed", "PRN"), for records that give no structured
 * as-needed flag. "If necessary" is left out: "increase to two if necessary" titrates a regular dose.
 */
const AS_NEEDED = /\b(?:when|as) (?:required|needed)\b|\bp\.?r\.?n\b/i;

/** Creates a recogniser for one patient. */
export function createRecogniser(knowledge: KnowledgeBase): Recogniser {
  const matcher = matcherFor(knowledge);
  const notes: DataQualityNote[] = [];
  const grouped = new Map<string, { note: DataQualityNote; count: number; noun: string }>();
  // One note per distinct unrecognised code; it points at the smallest location, so that the
  // report does not depend on the order of the input.
  const group = (key: string, noun: string, note: DataQualityNote): void => {
    const existing = grouped.get(key);
    if (existing === undefined) grouped.set(key, { note, count: 1, noun });
    else {
      existing.count += 1;
      if (note.location < existing.note.location) existing.note = note;
    }
  };


  const conditionConcepts = (codes: readonly InputCode[]): string[] => {
    const found = new Set<string>();
    for (const { system, code } of codes) {
      if (system === 'snomed') knowledge.codes.conditionBySnomed.get(code)?.forEach((id) => found.add(id));
      if (system === 'icd10') {
        const plain = code.replace('.', '');
        for (let length = plain.length; length >= 3; length--) {
          knowledge.codes.conditionByIcd10.get(plain.slice(0, length))?.forEach((id) => found.add(id));
        }
      }
    }
    return [...found];
  };

  /** A condition's concepts read from its words (its text, else a code's display) when its codes give none: the whole text must be a concept's name or synonym. */
  const conditionFromText = (input: ConditionInput): { written: string; concepts: string[] } | undefined => {
    for (const written of [input.text, ...input.codes.map((c) => c.display)]) {
      if (written === undefined) continue;
      const concepts = knowledge.codes.conditionByText.get(wholeTextKey(written));
      if (concepts !== undefined) return { written, concepts: [...concepts] };
    }
    return undefined;
  };

  return {
    medication(input, location) {
      const text = input.text ?? input.codes.find((c) => c.display !== undefined)?.display ?? describeCodes(input.codes);
      let matched: { id: string; strengthMg?: number }[] = [];
      if (input.ingredients !== undefined) {
        matched = input.ingredients.filter((id) => knowledge.ingredients.has(id)).map((id) => ({ id }));
        for (const id of input.ingredients) {
          if (!knowledge.ingredients.has(id)) {
            notes.push({ code: 'unknown-ingredient', location, text: id, message: `ingredient "${id}" is not in the knowledge base; it is not checked` });
          }
        }
      } else {
        const displayText = input.text ?? input.codes.map((c) => c.display).find((d) => d !== undefined);
        const match = matcher.match(drugLookupCodes(input.codes), displayText);
        if (match !== undefined) {
          matched = [...match.ingredients];
          for (const c of match.corrected) {
            notes.push({ code: 'medication-name-corrected', location, text, message: `read "${c.written}" as "${c.read}" (spelling)` });
          }
        }
      }
      if (matched.length === 0 && input.ingredients === undefined) {
        notes.push({ code: 'unrecognised-medication', location, text, message: `medication not recognised (${describeCodes(input.codes) || 'no codes'}); it is not checked` });
      }
      if (input.notOrdered !== undefined && isCurrentStatus(input.status)) {
        notes.push({ code: 'medication-not-ordered', location, text, message: `a ${input.notOrdered}, not a prescription; not counted as current` });
      }
      if (input.supersededBy !== undefined && isCurrentStatus(input.status)) {
        notes.push({ code: 'medication-superseded', location, text, message: `replaced by ${input.supersededBy}, which names it as its prior prescription; not counted as current` });
      }
      if (input.status === 'on-hold') {
        notes.push({ code: 'medication-on-hold', location, text, message: 'medication is on hold; it is checked as current' });
      }
      const asNeeded = input.asNeeded === true || (input.doseText !== undefined && AS_NEEDED.test(input.doseText));
      if (asNeeded && input.asNeeded !== true) {
        notes.push({ code: 'medication-as-needed-by-text', location, text, message: `the dose "${input.doseText ?? ''}" says it is taken only when needed; it is not counted as a regular medicine` });
      }
      if (input.status === 'unknown') {
        notes.push({ code: 'medication-status-unknown', location, text, message: 'medication status is unknown; it is checked as current' });
      }
      // With no structured dose, a plain instruction in words gives it ("one tablet twice a day"), and a note says so.
      const fromWords = asNeeded || input.perDay !== undefined || input.mgPerDay !== undefined || input.unitsPerDay !== undefined || input.doseText === undefined ? undefined : doseFromText(input.doseText);
      if (fromWords !== undefined) notes.push({ code: 'dose-read-from-text', location, text, message: `the dose is read from the instructions "${input.doseText ?? ''}" as ${fromWords.read}` });
      const perDay = input.perDay ?? fromWords?.perDay;
      const mgPerDay = input.mgPerDay ?? (fromWords?.mg === undefined ? undefined : fromWords.mg * fromWords.perDay);
      const unitsPerDay = input.unitsPerDay ?? (fromWords?.units === undefined ? undefined : fromWords.units * fromWords.perDay);
      const start = toTime(input.start);
      const end = toLatestTime(input.end);
      for (const [written, read, which] of [[input.start, start, 'start'], [input.end, end, 'end']] as const) {
        if (written !== undefined && read === undefined) notes.push({ code: 'invalid-date', location, text: written, message: `medication ${which} date "${written}" cannot be read; the medication counts whatever the check date` });
      }
      const ingredients = matched.map((m) => {
        const daily = mgPerDay ?? (m.strengthMg !== undefined && unitsPerDay !== undefined ? m.strengthMg * unitsPerDay : undefined);
        const dailyMg = matched.length === 1 && daily !== undefined && Number.isFinite(daily) ? daily : undefined;
        return { ...m, ...(dailyMg === undefined ? {} : { dailyMg }) };
      });
      return {
        location,
        text,
        ingredients,
        status: input.status,
        current: isCurrentStatus(input.status) && input.notOrdered === undefined && input.supersededBy === undefined,
        ...(perDay === undefined ? {} : { perDay }),
        ...(asNeeded ? { asNeeded: true as const } : {}),
        ...(input.acute === true ? { acute: true as const } : {}),
        ...(input.doseText === undefined ? {} : { doseText: input.doseText }),
        ...(start === undefined ? {} : { start }),
        ...(end === undefined ? {} : { end }),
      };
    },

    condition(input, location) {
      const text = input.text ?? input.codes.find((c) => c.display !== undefined)?.display ?? describeCodes(input.codes);
      let concepts = input.concept !== undefined ? [input.concept] : conditionConcepts(input.codes);
      if (concepts.length === 0 && input.concept === undefined) {
        const read = conditionFromText(input);
        if (read !== undefined) {
          concepts = read.concepts;
          const names = read.concepts.map((id) => `"${knowledge.conditions.get(id)?.name ?? id}"`).join(' and ');
          const codes = describeCodes(input.codes);
          group(`condition-text|${read.written}`, 'condition', { code: 'condition-recognised-by-text', location, text: read.written, message: `recognised by its text as ${names}${codes === '' ? ', having no code' : `; its codes (${codes}) are not in the knowledge base`}` });
        }
      }
      if (input.concept !== undefined && !knowledge.conditions.has(input.concept)) {
        notes.push({ code: 'unknown-concept', location, text: input.concept, message: `condition concept "${input.concept}" is not in the knowledge base; it is not used` });
      }
      const onset = toTime(input.onset);
      const eventCode = input.codes.find((c) => c.system === 'snomed' && knowledge.codes.eventBySnomed.has(c.code));
      const eventConcept = eventCode === undefined ? undefined : knowledge.codes.eventBySnomed.get(eventCode.code);
      const event = eventConcept !== undefined && onset !== undefined ? { location, concept: eventConcept, time: onset } : undefined;
      if (concepts.length === 0 && event === undefined && input.concept === undefined) {
        const key = input.codes.map((c) => `${c.system}|${c.code}`).join(',') || `text|${text}`;
        group(`condition|${key}`, 'condition', { code: 'unrecognised-condition', location, text, message: `condition not used by any loaded pathway or rule (${describeCodes(input.codes) || 'no codes'})` });
      }
      const abated = input.state === 'past' ? toLatestTime(input.abatement) : undefined;
      if (input.state === 'past' && input.abatement !== undefined && abated === undefined) {
        notes.push({ code: 'invalid-date', location, text: input.abatement, message: `condition end date "${input.abatement}" cannot be read; the condition counts as ended whatever the check date` });
      }
      const condition: RecordCondition = { location, text, concepts: concepts.filter((c) => knowledge.conditions.has(c)), state: input.state, ...(onset === undefined ? {} : { onset }), ...(abated === undefined ? {} : { abated }) };
      return event === undefined ? { condition } : { condition, event };
    },

    observation(input, location) {
      const concept = input.concept ?? input.codes.map((c) => (c.system === 'loinc' ? knowledge.codes.observationByLoinc.get(c.code) : c.system === 'snomed' ? knowledge.codes.observationBySnomed.get(c.code) : undefined)).find((id) => id !== undefined);
      const described = describeCodes(input.codes) || (input.concept ?? 'no codes');
      const compiled = concept === undefined ? undefined : knowledge.observations.get(concept);
      if (compiled === undefined) {
        const key = input.codes.map((c) => `${c.system}|${c.code}`).join(',') || `concept|${input.concept ?? ''}`;
        group(`observation|${key}`, 'observation', { code: 'unrecognised-observation', location, text: described, message: `observation not used by any loaded pathway or rule (${described})` });
        return undefined;
      }
      const time = toTime(input.date);
      if (time === undefined) {
        notes.push({ code: 'invalid-date', location, text: input.date, message: `observation date "${input.date}" cannot be read; the value is not used` });
        return undefined;
      }
      const comparator = input.comparator === undefined ? undefined : BOUNDS.get(input.comparator);
      if (input.comparator !== undefined && comparator === undefined) {
        notes.push({ code: 'unusable-comparator', location, text: `${input.comparator} ${input.value} ${input.unit}`, message: `${compiled.definition.name} has the comparator "${input.comparator}", which is not a bound carepath can read; the value is not used` });
        return undefined;
      }
      const conversion = (input.unitCode === undefined ? undefined : unitConversion(compiled, input.unitCode)) ?? unitConversion(compiled, input.unit);
      if (conversion === undefined) {
        notes.push({ code: 'unit-not-convertible', location, text: `${input.value} ${input.unit}`, message: `${compiled.definition.name} in "${input.unit}" cannot be converted to ${compiled.definition.unit}; the value is not used` });
        return undefined;
      }
      const value = inCanonicalUnit(input.value, conversion);
      const range = compiled.definition.valueRange;
      if (range !== undefined && (value < range.min || value > range.max)) {
        notes.push({ code: 'implausible-value', location, text: `${input.value} ${input.unit}`, message: `${compiled.definition.name} of ${value} ${compiled.definition.unit} is outside the plausible range ${range.min}–${range.max}; the value is not used` });
        return undefined;
      }
      return comparator === undefined ? { location, concept: compiled.definition.id, value, time } : { location, concept: compiled.definition.id, value, comparator, time };
    },

    event(input, location) {
      const concept = input.concept ?? input.codes.map((c) => (c.system === 'snomed' ? knowledge.codes.eventBySnomed.get(c.code) : undefined)).find((id) => id !== undefined);
      const time = toTime(input.date);
      if (concept === undefined || !knowledge.events.has(concept)) {
        const described = describeCodes(input.codes) || (input.concept ?? 'no codes');
        notes.push({ code: 'unrecognised-event', location, text: described, message: `event not recognised (${described}); it is not counted` });
        return undefined;
      }
      if (time === undefined) {
        notes.push({ code: 'invalid-date', location, text: input.date, message: `event date "${input.date}" cannot be read; it is not counted` });
        return undefined;
      }
      return { location, concept, time };
    },

    allergy(codes, text, ingredients, location) {
      const written = text ?? codes.map((c) => c.display).find((d) => d !== undefined);
      const as = (ids: readonly string[]): RecordAllergy => ({ location, text: written ?? ids.join(', '), ingredients: ids });
      if (ingredients !== undefined) {
        for (const id of ingredients) {
          if (!knowledge.ingredients.has(id)) notes.push({ code: 'unknown-ingredient', location, text: id, message: `allergy ingredient "${id}" is not in the knowledge base; it is not checked` });
        }
        const known = ingredients.filter((id) => knowledge.ingredients.has(id));
        return known.length === 0 ? undefined : as(known);
      }
      const match = matcher.match(drugLookupCodes(codes), written);
      if (match !== undefined) return as(match.ingredients.map((m) => m.id));
      // A whole class ("Penicillin", "NSAIDs") rules out each of its members.
      const members = written === undefined ? undefined : classAllergiesFor(knowledge)(written);
      if (members !== undefined) return as([...members].sort());
      const described = text ?? describeCodes(codes);
      notes.push({ code: 'unrecognised-allergy', location, text: described, message: `allergy substance not recognised (${described}); it is not checked` });
      return undefined;
    },

    note(note) {
      notes.push(note);
    },

    notes() {
      const summaries = [...grouped.values()].map(({ note, count, noun }) =>
        count === 1 ? note : { ...note, message: `${note.message}; ${count} such ${noun} records, one of them here` },
      );
      return canonicalNotes([...notes, ...summaries]);
    },
  };
}
