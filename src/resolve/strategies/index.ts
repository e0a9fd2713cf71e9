import type { Strategy } from '../types.js';
import { addMitigation } from './add-mitigation.js';
import { adjustDose } from './adjust-dose.js';
import { avoid } from './avoid.js';
import { dropWeakerRecommendation } from './drop-weaker.js';
import { monitor } from './monitor.js';
import { refer } from './refer.js';
import { sharedDecision } from './shared-decision.js';
import { staggerOrPause } from './stagger.js';
import { substituteWithinClass } from './substitute.js';

/** Every resolution strategy, registered in one place. */
export const strategies: readonly Strategy[] = [
  substituteWithinClass,
  addMitigation,
  monitor,
  adjustDose,
  staggerOrPause,
  dropWeakerRecommendation,
  avoid,
  refer,
  sharedDecision,
];
