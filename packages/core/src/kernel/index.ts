// The simulation kernel's public API: virtual clock, RxJS scheduler on it, seeded
// randomness, and the wall-clock pacer for live use.

export { SimClock, type SimClockOptions, type TimerHandle, type TimerInfo, type SlotTimerLabel, type TimerLabel, type TimerSlot } from './clock.js';
export { createSimScheduler } from './scheduler.js';
export { SeededRandom } from './random.js';
export {
  Pacer,
  systemWallClock,
  type PacerOptions,
  type PacerSpeed,
  type PacerState,
  type WallClock,
} from './pacer.js';
