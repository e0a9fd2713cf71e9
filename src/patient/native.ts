import type { Coding, Patient } from '../schema/generated/patient.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { createRecogniser, shortSystem, type InputCode } from './recognise.js';
import { byRecency, type PatientRecord, type RecordCondition, type RecordEvent, type RecordObservation } from './record.js';

function codesOf(codings: readonly Coding[] | undefined): InputCode[] {
  return (codings ?? []).map((c) => ({ system: shortSystem(c.system), code: c.code, ...(c.display === undefined ? {} : { display: c.display }) }));
}

const conditionState: Record<string, RecordCondition['state']> = {
  active: 'present',
  recurrence: 'present',
  relapse: 'present',
  unconfirmed: 'uncertain',
  refuted: 'refuted',
  inactive: 'past',
  remission: 'past',
  resolved: 'past',
  'entered-in-error': 'past',
};

/** Where an item is: `collection/id` when it has an id (so reports do not depend on input order), else a JSON pointer. */
function locate(collection: string, item: { id?: string }, index: number): string {
  return item.id === undefined ? `/${collection}/${index}` : `${collection}/${item.id}`;
}

/**
 * Reads a validated native carepath patient into a PatientRecord: each condition,
 * medication, observation and event recognised against the knowledge base, everything else
 * accounted for in data-quality notes.
 */
export function fromNativePatient(patient: Patient, knowledge: KnowledgeBase): PatientRecord {
  const recogniser = createRecogniser(knowledge);
  const conditions: RecordCondition[] = [];
  const events: RecordEvent[] = [];
  (patient.conditions ?? []).forEach((c, i) => {
    const { condition, event } = recogniser.condition(
      {
        codes: codesOf(c.codes),
        ...(c.text === undefined ? {} : { text: c.text }),
        ...(c.concept === undefined ? {} : { concept: c.concept }),
        state: conditionState[c.status] ?? 'past',
        ...(c.onset === undefined ? {} : { onset: c.onset }),
        ...(c.abatement === undefined || c.status === 'entered-in-error' ? {} : { abatement: c.abatement }),
      },
      locate('conditions', c, i),
    );
    conditions.push(condition);
    if (event !== undefined && condition.state === 'present') events.push(event);
  });
  const medications = (patient.medications ?? []).map((m, i) =>
    recogniser.medication(
      {
        codes: codesOf(m.codes),
        ...(m.text === undefined ? {} : { text: m.text }),
        ...(m.ingredients === undefined ? {} : { ingredients: m.ingredients }),
        status: m.status,
        ...(m.dose?.amountMg === undefined || m.dose.perDay === undefined ? {} : { mgPerDay: m.dose.amountMg * m.dose.perDay }),
        ...(m.dose?.perDay === undefined ? {} : { perDay: m.dose.perDay }),
        ...(m.dose?.asNeeded === undefined ? {} : { asNeeded: m.dose.asNeeded }),
        ...(m.courseOfTherapy === 'acute' ? { acute: true } : {}),
        ...(m.dose?.text === undefined ? {} : { doseText: m.dose.text }),
        ...(m.start === undefined ? {} : { start: m.start }),
      },
      locate('medications', m, i),
    ),
  );
  const observations: RecordObservation[] = [];
  (patient.observations ?? []).forEach((o, i) => {
    const observation = recogniser.observation(
      { codes: codesOf(o.codes), ...(o.concept === undefined ? {} : { concept: o.concept }), value: o.value, ...(o.comparator === undefined ? {} : { comparator: o.comparator }), unit: o.unit, date: o.date },
      locate('observations', o, i),
    );
    if (observation !== undefined) observations.push(observation);
  });
  (patient.events ?? []).forEach((e, i) => {
    const event = recogniser.event({ codes: codesOf(e.codes), ...(e.concept === undefined ? {} : { concept: e.concept }), date: e.date }, locate('events', e, i));
    if (event !== undefined) events.push(event);
  });
  const allergies = (patient.allergies ?? []).flatMap((a, i) => recogniser.allergy(codesOf(a.codes), a.text, a.ingredients, locate('allergies', a, i)) ?? []);
  return {
    id: patient.id,
    ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
    ...(patient.sex === undefined ? {} : { sex: patient.sex }),
    conditions,
    medications,
    observations: observations.sort(byRecency),
    events,
    allergies,
    dataQuality: recogniser.notes(),
  };
}
