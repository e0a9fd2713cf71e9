import type { KnowledgeBase } from '../../knowledge/types.js';
import { createRecogniser, type Recogniser } from '../recognise.js';
import { byRecency, isCalendarDate, isCurrentStatus, type MedicationStatus, type PatientRecord, type RecordAllergy, type RecordCondition, type RecordEvent, type RecordObservation, toTime } from '../record.js';
import { acuteSupplyEnd, isAcuteCourse } from './course.js';
import { dosageOf } from './dosage.js';
import { array, codesOf, dateOf, number, object, statusCode, string, textOf } from './read.js';

const medicationStatus: Record<string, MedicationStatus> = {
  active: 'active',
  'on-hold': 'on-hold',
  cancelled: 'cancelled',
  completed: 'completed',
  'entered-in-error': 'entered-in-error',
  stopped: 'stopped',
  draft: 'draft',
  unknown: 'unknown',
  intended: 'draft',
  'not-taken': 'stopped',
};

/** A request's or statement's status as carepath distinguishes it (one it does not know is `unknown`). */
function medicationStatusOf(resource: Record<string, unknown>): MedicationStatus {
  return medicationStatus[string(resource['status']) ?? 'unknown'] ?? 'unknown';
}

/** MedicationRequest intents that only propose or plan a medicine: no prescription the patient takes. */
const NOT_ORDERED_INTENTS = new Set(['proposal', 'plan', 'option']);

/** Verification statuses of a diagnosis that is not yet confirmed (FHIR R4 condition-ver-status). */
const UNCONFIRMED = new Set(['unconfirmed', 'provisional', 'differential']);

/** Where a resource is, for messages: `Type/id`, or the JSON pointer of its entry's resource when it has no id. */
function locate(resource: Record<string, unknown>, entry: string): string {
  const type = string(resource['resourceType']) ?? 'Resource';
  const id = string(resource['id']);
  return id === undefined ? `${entry}/resource` : `${type}/${id}`;
}

/** A Bundle entry as read: its resource, its fullUrl, its place among all entries read, and its JSON pointer. */
interface Entry {
  readonly resource: Record<string, unknown> | undefined;
  readonly fullUrl: string | undefined;
  readonly index: number;
  readonly pointer: string;
}

/** How deep Bundles held in Bundles are opened (a batch-response holding searchsets is one level). */
const MAX_NESTED_BUNDLES = 3;

/**
 * The entries of a Bundle, with the entries of any Bundle it holds read in its place: a
 * batch-response Bundle (one round trip for a patient's Patient, Conditions and
 * MedicationRequests) holds the searchset Bundle each search returned. A Bundle nested deeper
 * than `MAX_NESTED_BUNDLES` stays an entry, which is noted as a resource carepath does not read.
 */
function entriesOf(bundle: Record<string, unknown>, pointer = '', depth = 0, into: Entry[] = []): Entry[] {
  const list = array(bundle['entry']);
  for (let i = 0; i < list.length; i++) {
    const entry = object(list[i]);
    const resource = object(entry?.['resource']);
    const at = `${pointer}/entry/${i}`;
    if (resource?.['resourceType'] === 'Bundle' && depth < MAX_NESTED_BUNDLES) entriesOf(resource, `${at}/resource`, depth + 1, into);
    else into.push({ resource, fullUrl: string(entry?.['fullUrl']), index: into.length, pointer: at });
  }
  return into;
}

/**
 * The medication code of a request or statement: its own concept, or that of the Medication it
 * references (in the bundle or contained; see `codeOfMedication`), or else the reference's
 * display, which names the medicine when the Medication itself was not sent.
 */
function medicationConcept(resource: Record<string, unknown>, medications: ReadonlyMap<string, Record<string, unknown>>): unknown {
  if (resource['medicationCodeableConcept'] !== undefined) return resource['medicationCodeableConcept'];
  const medicationReference = object(resource['medicationReference']);
  const reference = string(medicationReference?.['reference']);
  const referenced =
    reference === undefined ? undefined
    : reference.startsWith('#') ? array(resource['contained']).map(object).find((c) => string(c?.['id']) === reference.slice(1))
    : (medications.get(reference) ?? medications.get(referencePath(reference, 'Medication') ?? reference));
  const concept = codeOfMedication(referenced);
  if (concept !== undefined) return concept;
  const display = string(medicationReference?.['display']);
  return display === undefined ? undefined : { text: display };
}

/**
 * A Medication's concept: its code, or else, for one described by its ingredients alone (a
 * compounded or combination product), a concept made of every ingredient's codes and names
 * (`itemCodeableConcept`, or the display of an `itemReference`).
 */
function codeOfMedication(medication: Record<string, unknown> | undefined): unknown {
  if (medication === undefined || medication['code'] !== undefined) return medication?.['code'];
  const items = array(medication['ingredient']).map((raw) => {
    const ingredient = object(raw);
    return object(ingredient?.['itemCodeableConcept']) ?? { text: string(object(ingredient?.['itemReference'])?.['display']) };
  });
  const names = items.map(textOf).filter((name) => name !== undefined);
  const coding = items.flatMap((item) => array(item['coding']));
  if (names.length === 0 && coding.length === 0) return undefined;
  return { coding, ...(names.length === 0 ? {} : { text: names.join(' + ') }) };
}

/**
 * A reference to a resource of this type as `Type/id`: a relative, absolute or version-specific
 * reference (`…/Medication/7/_history/2`) cut down to its type and id; undefined when it names no
 * resource of the type.
 */
function referencePath(reference: string, type: 'Medication' | 'MedicationRequest' | 'Patient'): string | undefined {
  const path = /(?:^|\/)([A-Z][A-Za-z]*\/[^/]+)(?:\/_history\/[^/]+)?$/.exec(reference)?.[1];
  return path?.startsWith(`${type}/`) === true ? path : undefined;
}

/** What a resource is about, as a note left on it names it: a medicine's concept, or the resource's code. */
function conceptOf(resource: Record<string, unknown>, medications: ReadonlyMap<string, Record<string, unknown>>): unknown {
  const type = resource['resourceType'];
  return type === 'MedicationRequest' || type === 'MedicationStatement' ? medicationConcept(resource, medications) : resource['code'];
}

/** The patient a clinical resource is about, as its reference is written (`subject`, or `patient` for an AllergyIntolerance). */
function subjectOf(resource: Record<string, unknown>): string | undefined {
  return string(object(resource['subject'] ?? resource['patient'])?.['reference']);
}

/**
 * Who the bundle's record is of, and how to tell a resource about someone else. The record is of
 * the first Patient in the bundle, or, with none, of the patient the first clinical resource
 * names. A resource is another patient's when its reference names a different Patient: one in
 * the bundle (by `Patient/id` or by its entry's fullUrl), or any `Patient/id` with another id.
 * A reference that names no Patient carepath can tell (a Group, an unknown URN) keeps the
 * resource, as a resource with no reference does.
 */
function patientIdentity(resources: readonly Entry[]): { patient: Record<string, unknown> | undefined; otherPatientOf: (resource: Record<string, unknown>) => string | undefined } {
  const byKey = new Map<string, Record<string, unknown>>();
  let patient: Record<string, unknown> | undefined;
  for (const { resource, fullUrl } of resources) {
    if (resource?.['resourceType'] !== 'Patient') continue;
    patient ??= resource;
    const id = string(resource['id']);
    if (id !== undefined) byKey.set(`Patient/${id}`, resource);
    if (fullUrl !== undefined) byKey.set(fullUrl, resource);
  }
  const own = new Set<string>();
  if (patient === undefined) {
    // Only a reference that names a Patient can tell another from it (a URN alone cannot).
    const first = resources.map(({ resource }) => (resource === undefined ? undefined : subjectOf(resource))).find((r) => r !== undefined);
    const path = first === undefined ? undefined : referencePath(first, 'Patient');
    if (path !== undefined) own.add(path);
  } else {
    const id = string(patient['id']);
    if (id !== undefined) own.add(`Patient/${id}`);
  }
  const isOthers = (reference: string): boolean => {
    const path = referencePath(reference, 'Patient');
    const named = byKey.get(reference) ?? (path === undefined ? undefined : byKey.get(path));
    if (named !== undefined) return named !== patient;
    return path !== undefined && own.size > 0 && !own.has(path);
  };
  // Each reference is told once: a record's thousands of resources mostly name one patient the same way.
  const told = new Map<string, boolean>();
  // The reference by which a resource names another patient; undefined when it is the checked one's, or cannot be told.
  const otherPatientOf = (resource: Record<string, unknown>): string | undefined => {
    const reference = subjectOf(resource);
    if (reference === undefined) return undefined;
    let others = told.get(reference);
    if (others === undefined) told.set(reference, (others = isOthers(reference)));
    return others ? reference : undefined;
  };
  return { patient, otherPatientOf };
}

/** A resource's version (`meta.versionId`) when it is a whole number, for telling which copy of a repeated resource is newer. */
function versionOf(resource: Record<string, unknown>): number | undefined {
  const version = string(object(resource['meta'])?.['versionId']);
  return version !== undefined && /^\d+$/.test(version) ? Number(version) : undefined;
}

/**
 * The entries that repeat a resource read from another entry (the versions of a history Bundle, a
 * resource a search returned twice), by index, each with the copy that is read instead: of the
 * entries with one `Type/id`, the one with the highest numeric version, else the first.
 */
function repeatedEntries(resources: readonly Entry[]): Map<number, Record<string, unknown>> {
  // Where each id of each type is first met (by type, then id: joining the two into one key took
  // a tenth of reading a Synthea record), and, for the few met again, every entry of it in order,
  // by where it was first met.
  const first = new Map<string, Map<string, number>>();
  const entries = new Map<number, number[]>();
  for (const { resource, index } of resources) {
    const type = string(resource?.['resourceType']);
    const id = string(resource?.['id']);
    if (type === undefined || id === undefined) continue;
    let ofType = first.get(type);
    if (ofType === undefined) first.set(type, (ofType = new Map<string, number>()));
    const earlier = ofType.get(id);
    if (earlier === undefined) {
      ofType.set(id, index);
      continue;
    }
    const all = entries.get(earlier);
    if (all === undefined) entries.set(earlier, [earlier, index]);
    else all.push(index);
  }
  const repeated = new Map<number, Record<string, unknown>>();
  const resourceAt = (index: number): Record<string, unknown> => resources[index]?.resource ?? {};
  for (const indexes of entries.values()) {
    let read = indexes[0] ?? 0;
    for (const index of indexes) {
      const [version, readVersion] = [versionOf(resourceAt(index)), versionOf(resourceAt(read))];
      if (version !== undefined && readVersion !== undefined && version > readVersion) read = index;
    }
    for (const index of indexes) if (index !== read) repeated.set(index, resourceAt(read));
  }
  return repeated;
}

/** The resource types read as the patient's clinical record, each about one patient. */
const CLINICAL = new Set(['Condition', 'MedicationRequest', 'MedicationStatement', 'Observation', 'AllergyIntolerance']);

/** When an observation was made: its effective dateTime, period or instant (FHIR R4 effective[x]), else when it was issued. */
function observationDate(resource: Record<string, unknown>): string | undefined {
  return dateOf(resource['effectiveDateTime'], resource['effectivePeriod'], resource['effectiveInstant'], resource['issued']);
}

/**
 * Reads observations with a coded value (smoking status) as findings dated by the observation;
 * the check keeps the most recent of mutually exclusive states up to its check date.
 */
function codedValueFindings(entries: readonly { resource: Record<string, unknown>; location: string }[], recogniser: Recogniser, knowledge: KnowledgeBase): RecordCondition[] {
  return entries.map(({ resource, location }) => {
    const date = observationDate(resource);
    const codes = codesOf(resource['valueCodeableConcept']).filter((c) => c.system === 'snomed' && knowledge.codes.conditionBySnomed.has(c.code));
    const text = textOf(resource['valueCodeableConcept']);
    return recogniser.condition({ codes, ...(text === undefined ? {} : { text }), state: 'present', ...(date === undefined ? {} : { onset: date }) }, location).condition;
  });
}

/**
 * Reads a FHIR R4 Bundle into a PatientRecord. Patient, Condition, MedicationRequest,
 * MedicationStatement, Observation (including blood-pressure components and coded smoking
 * status) and AllergyIntolerance are read; statuses are respected (stopped, completed,
 * entered-in-error, resolved and refuted items do not count; on-hold is reported). Anything not
 * understood becomes a data-quality note, other resource types are counted in one note, and
 * nothing throws on malformed data.
 */
export function fromFhirBundle(bundle: Record<string, unknown>, knowledge: KnowledgeBase): PatientRecord {
  const recogniser = createRecogniser(knowledge);
  const resources = entriesOf(bundle);
  const medications = new Map<string, Record<string, unknown>>();
  for (const { resource, fullUrl } of resources) {
    if (resource === undefined || resource['resourceType'] !== 'Medication') continue;
    const id = string(resource['id']);
    if (id !== undefined) medications.set(`Medication/${id}`, resource);
    if (fullUrl !== undefined) medications.set(fullUrl, resource);
  }

  const repeated = repeatedEntries(resources);
  const replacedBy = replacedRequests(resources);
  const { patient, otherPatientOf } = patientIdentity(repeated.size === 0 ? resources : resources.filter(({ index }) => !repeated.has(index)));
  const conditions: RecordCondition[] = [];
  const events: RecordEvent[] = [];
  const observations: RecordObservation[] = [];
  const codedValues: { resource: Record<string, unknown>; location: string }[] = [];
  const allergies: RecordAllergy[] = [];
  const medicationsRead = [];
  const unused = new Map<string, number>();

  for (const { resource, index, pointer, fullUrl } of resources) {
    if (resource === undefined) {
      recogniser.note({ code: 'entry-without-resource', location: pointer, message: 'bundle entry has no resource; skipped' });
      continue;
    }
    const location = locate(resource, pointer);
    const type = string(resource['resourceType']);
    const readInstead = repeated.get(index);
    if (readInstead !== undefined) {
      const [version, readVersion] = [versionOf(resource), versionOf(readInstead)];
      recogniser.note({
        code: 'repeated-resource',
        location,
        text: textOf(conceptOf(resource, medications)) ?? '',
        message: `the bundle holds this resource more than once; ${readVersion === undefined ? 'the first copy' : `version ${readVersion}`} is read and this ${version === undefined ? 'copy' : `version ${version}`} left out`,
      });
      continue;
    }
    const otherPatient = type !== undefined && CLINICAL.has(type) ? otherPatientOf(resource) : undefined;
    if (otherPatient !== undefined) {
      recogniser.note({ code: 'other-patient', location, text: textOf(conceptOf(resource, medications)) ?? '', message: `about another patient (${otherPatient}), not the one checked; left out` });
      continue;
    }
    switch (type) {
      case 'Patient':
        if (resource !== patient) recogniser.note({ code: 'multiple-patients', location, message: 'the bundle holds more than one Patient; the first is checked, and the others\' resources are left out' });
        break;
      case 'Condition': {
        const verification = statusOf(resource, 'verificationStatus', location, recogniser);
        const clinical = statusOf(resource, 'clinicalStatus', location, recogniser);
        const abatement = dateOf(resource['abatementDateTime'], resource['abatementPeriod']);
        const abated = abatement !== undefined;
        const text = textOf(resource['code']);
        const state: RecordCondition['state'] =
          verification === 'refuted' ? 'refuted'
          : verification === 'entered-in-error' ? 'past'
          : (clinical === undefined ? abated : !['active', 'recurrence', 'relapse'].includes(clinical)) ? 'past'
          : verification !== undefined && UNCONFIRMED.has(verification) ? 'uncertain'
          : 'present';
        if (clinical === undefined && verification !== 'entered-in-error') {
          recogniser.note({ code: 'condition-status-missing', location, text: text ?? '', message: `condition has no clinical status; read as ${state === 'past' ? 'resolved (it has an abatement date)' : 'active'}` });
        }
        if (state === 'uncertain') {
          recogniser.note({ code: 'condition-unconfirmed', location, text: text ?? '', message: `the diagnosis is ${verification ?? 'unconfirmed'}; whether the patient has it is unknown, so what hinges on it is possible` });
        }
        const onset = dateOf(resource['onsetDateTime'], resource['onsetPeriod'], resource['recordedDate']);
        // An ended condition keeps when it ended, so a check dated before that counts it; one entered in error never counts.
        const ended = state === 'past' && verification !== 'entered-in-error' ? abatement : undefined;
        const read = recogniser.condition({ codes: codesOf(resource['code']), ...(text === undefined ? {} : { text }), state, ...(onset === undefined ? {} : { onset }), ...(ended === undefined ? {} : { abatement: ended }) }, location);
        conditions.push(read.condition);
        if (read.event !== undefined && verification !== 'entered-in-error' && verification !== 'refuted') events.push(read.event);
        break;
      }
      case 'MedicationRequest':
      case 'MedicationStatement': {
        const concept = medicationConcept(resource, medications);
        const status = medicationStatusOf(resource);
        const text = textOf(concept);
        const request = resource['resourceType'] === 'MedicationRequest';
        // A request is dated by when it was written; a statement by when the medicine was taken from (not when the statement was made).
        const start = request ? dateOf(resource['authoredOn']) : dateOf(resource['effectiveDateTime'], resource['effectivePeriod']);
        const { unknownBecause, courseEnd, ...dose } = dosageOf(resource['dosageInstruction'] ?? resource['dosage'], start);
        if (unknownBecause !== undefined) recogniser.note({ code: 'daily-dose-unknown', location, text: text ?? '', message: `the daily dose is not worked out: ${unknownBecause}` });
        const acute = request && isAcuteCourse(resource);
        // A statement's effective period ends when the medicine was last taken; a request's validity says nothing of that, but a course of fixed length ends when its dosage does, and a short course when its supply does (whichever is later).
        const end = (request ? undefined : string(object(resource['effectivePeriod'])?.['end'])) ?? laterDay(courseEnd, acute ? acuteSupplyEnd(resource) : undefined);
        if (acute && end === undefined) recogniser.note({ code: 'short-course-end-unknown', location, text: text ?? '', message: 'a short (acute) course whose end cannot be worked out (no bounded dosage, nor a supply and a date to count it from); checked as current' });
        // A request that only proposes or plans a medicine, or asks that it not be given (doNotPerform), is not a prescription the patient takes.
        const intent = request ? string(resource['intent']) : undefined;
        const notOrdered = request && resource['doNotPerform'] === true ? 'request not to give it' : intent !== undefined && NOT_ORDERED_INTENTS.has(intent) ? intent : undefined;
        const id = string(resource['id']);
        const supersededBy = request ? ((id === undefined ? undefined : replacedBy.get(`MedicationRequest/${id}`)) ?? (fullUrl === undefined ? undefined : replacedBy.get(fullUrl))) : undefined;
        medicationsRead.push(recogniser.medication({ codes: codesOf(concept), ...(text === undefined ? {} : { text }), status, ...dose, ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }), ...(acute ? { acute } : {}), ...(notOrdered === undefined ? {} : { notOrdered }), ...(supersededBy === undefined ? {} : { supersededBy }) }, location));
        break;
      }
      case 'Observation': {
        const status = string(resource['status']);
        if (status === 'entered-in-error' || status === 'cancelled') break;
        const date = observationDate(resource);
        const parts = [resource, ...array(resource['component']).map(object).filter((c): c is Record<string, unknown> => c !== undefined)];
        let used = false;
        for (const part of parts) {
          const quantity = object(part['valueQuantity']);
          const value = number(quantity?.['value']);
          if (value === undefined || date === undefined) continue;
          used = true;
          const ucum = string(quantity?.['system']) === 'http://unitsofmeasure.org' ? string(quantity?.['code']) : undefined;
          const unit = string(quantity?.['unit']) ?? string(quantity?.['code']) ?? '';
          const comparator = string(quantity?.['comparator']);
          const observation = recogniser.observation({ codes: codesOf(part['code']), value, unit, ...(ucum === undefined ? {} : { unitCode: ucum }), ...(comparator === undefined ? {} : { comparator }), date }, location);
          if (observation !== undefined) observations.push(observation);
        }
        if (!used && resource['valueCodeableConcept'] !== undefined) {
          codedValues.push({ resource, location });
          used = true;
        }
        if (!used) recogniser.note({ code: 'observation-without-value', location, text: textOf(resource['code']) ?? '', message: 'observation has no numeric value and date carepath can use' });
        break;
      }
      case 'AllergyIntolerance': {
        const verification = statusOf(resource, 'verificationStatus', location, recogniser);
        const clinical = statusOf(resource, 'clinicalStatus', location, recogniser);
        if (verification === 'refuted' || verification === 'entered-in-error' || clinical === 'inactive' || clinical === 'resolved') break;
        // Without a code, the substance its reactions name is what the patient reacted to.
        const substance = resource['code'] ?? array(resource['reaction']).map((r) => object(r)?.['substance']).find((c) => c !== undefined);
        const allergy = recogniser.allergy(codesOf(substance), textOf(substance), undefined, location);
        if (allergy !== undefined) allergies.push(allergy);
        break;
      }
      case 'Medication':
        break;
      default: {
        const type = string(resource['resourceType']) ?? '(no resourceType)';
        unused.set(type, (unused.get(type) ?? 0) + 1);
      }
    }
  }
  conditions.push(...codedValueFindings(codedValues, recogniser, knowledge));
  if (unused.size > 0) {
    const list = [...unused.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, count]) => `${count} ${type}`).join(', ');
    recogniser.note({ code: 'resources-not-used', location: '/entry', message: `resources of types carepath does not read were skipped: ${list}` });
  }
  // Where the checked Patient is, for the notes on it.
  const patientLocation = patient === undefined ? '' : locate(patient, resources.find((e) => e.resource === patient)?.pointer ?? '');
  const deceased = patient === undefined ? undefined : deceasedOf(patient, patientLocation);
  const gender = string(patient?.['gender']);
  const birthDate = string(patient?.['birthDate']);
  // FHIR's birthDate is a date; a date-time, as some systems send it, is read by its date, with a note.
  const dayOfBirth = birthDate === undefined ? undefined : /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/.exec(birthDate)?.[1];
  const validBirthDate = [birthDate, dayOfBirth].find((date) => date !== undefined && isCalendarDate(date));
  if (patient === undefined) recogniser.note({ code: 'no-patient', location: '/entry', message: 'the bundle has no Patient resource; age and sex are unknown' });
  else if (birthDate !== undefined && validBirthDate === undefined) recogniser.note({ code: 'invalid-date', location: patientLocation, text: birthDate, message: 'birth date cannot be read; age is unknown' });
  else if (dayOfBirth !== undefined && validBirthDate === dayOfBirth) recogniser.note({ code: 'birth-date-with-time', location: patientLocation, text: birthDate ?? '', message: `birth date is a date-time, not a date; read as ${dayOfBirth}` });
  return {
    id: string(patient?.['id']) ?? string(bundle['id']) ?? 'unknown',
    ...(validBirthDate === undefined ? {} : { birthDate: validBirthDate }),
    ...(gender === 'female' || gender === 'male' || gender === 'other' || gender === 'unknown' ? { sex: gender } : {}),
    conditions,
    medications: medicationsRead,
    observations: observations.sort(byRecency),
    events,
    allergies,
    ...(deceased === undefined ? {} : { deceased }),
    dataQuality: recogniser.notes(),
  };
}

/**
 * A Condition's or AllergyIntolerance's clinical or verification status: the code of its
 * CodeableConcept, or a bare code, as FHIR STU3 wrote these statuses, read as that code with a
 * note (a refuted diagnosis so written stays refuted).
 */
function statusOf(resource: Record<string, unknown>, field: 'clinicalStatus' | 'verificationStatus', location: string, recogniser: Recogniser): string | undefined {
  const value = resource[field];
  if (typeof value !== 'string') return statusCode(value);
  recogniser.note({ code: 'status-not-coded', location, text: value, message: `${field} is a bare code, as FHIR STU3 wrote it, not an R4 CodeableConcept; read as "${value}"` });
  return value;
}

/**
 * The prescriptions a later one replaces: each MedicationRequest that a current, ordered one
 * names as its `priorPrescription` (a renewal or a change of dose), by how it is named
 * (`MedicationRequest/id`, or a fullUrl), with where the later one is. A replaced request left
 * active would otherwise count twice ("naproxen is in 2 current medicines").
 */
function replacedRequests(resources: readonly Entry[]): Map<string, string> {
  const replaced = new Map<string, string>();
  for (const { resource, pointer } of resources) {
    if (resource?.['resourceType'] !== 'MedicationRequest') continue;
    const prior = string(object(resource['priorPrescription'])?.['reference']);
    if (prior === undefined || !isCurrentStatus(medicationStatusOf(resource)) || NOT_ORDERED_INTENTS.has(string(resource['intent']) ?? '')) continue;
    replaced.set(referencePath(prior, 'MedicationRequest') ?? prior, locate(resource, pointer));
  }
  return replaced;
}

/** The later of two days (dates or date-times), or the one given. */
function laterDay(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return (toTime(b) ?? -Infinity) > (toTime(a) ?? -Infinity) ? b : a;
}

/** Whether, and when, a Patient is recorded as having died (`deceasedBoolean`, `deceasedDateTime`); undefined when it is not. */
function deceasedOf(patient: Record<string, unknown>, location: string): PatientRecord['deceased'] {
  const date = string(patient['deceasedDateTime']);
  if (date === undefined && patient['deceasedBoolean'] !== true) return undefined;
  const time = toTime(date);
  return { location, ...(time === undefined ? {} : { time }) };
}
