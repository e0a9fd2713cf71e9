import type { CompiledObservation, UnitConversion } from './types.js';

/**
 * The key a unit is looked up by: its spelling with case, spaces, powers and the micro prefix
 * made alike, so that records meet the knowledge base however they write a unit: "µmol/L" (micro
 * sign), "μmol/l" (Greek mu) and "micromol/L"; "kg/m²", "kg/m^2" and "kg/m2"; "mm Hg" and
 * "mmHg"; "10*9/L" and "10^9/L".
 */
export function unitKey(unit: string): string {
  return unit
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[\^*]/g, '')
    .replace(/μ/g, 'u')
    .replace(/micro(?=mol)/g, 'u');
}

/** How a value in this unit becomes one in the concept's canonical unit; undefined when the unit is not one of the concept's. */
export function unitConversion(concept: CompiledObservation, unit: string): UnitConversion | undefined {
  return concept.unitConversions.get(unitKey(unit));
}

/** A value in the concept's canonical unit (see `unitConversion`). */
export function inCanonicalUnit(value: number, conversion: UnitConversion): number {
  return value * conversion.factor + conversion.offset;
}
