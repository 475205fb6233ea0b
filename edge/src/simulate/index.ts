/**
 * Device scenario simulator: synthetic patients and the messages their devices would send
 * (monitor with ECG lead II, NIBP cuff, pulse oximeter, thermometer, glucometer), generated
 * up front from a seed. Transport-free: whoever plays it publishes each event on
 * hema3n/v1/devices/{prefix-idSuffix}/{topicSuffix}.
 */
export { buildScenario, scenarioNames, DEFAULT_START_AT } from './build.js';
export type { BuildOptions, Scenario } from './build.js';
export type { SimEvent, SimulatedDevice, DeviceKind, TopicSuffix } from './devices.js';
export type { PatientProfile, ScenarioName } from './scenarios.js';
export type { VitalsPayload, WaveformJsonPayload, DeviceMeasurement } from './wire.js';
export { ECG_SAMPLE_RATE_HZ, ECG_COUNTS_PER_MV } from './ecg.js';
export { playbackPlan } from './playback.js';
export type { PlannedEvent } from './playback.js';
export { playScenario, type DeviceCredentials, type PlaybackReport, type PlayOptions } from './player.js';
