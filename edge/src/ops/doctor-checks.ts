import { runChecks, type Check, type DoctorCheck, type DoctorContext, type DoctorReport } from './doctor.js';
import { certificateCheck } from './doctor-certificate.js';
import { adaptersCheck, modelCheck, modelLoader } from './doctor-model.js';
import { cloudCheck, portCheck } from './doctor-network.js';
import { nodeCheck, onnxruntimeCheck, providersCheck } from './doctor-runtime.js';
import { databaseCheck } from './doctor-store.js';
import { clockCheck, diskCheck } from './doctor-system.js';

/** Every check `hema3n doctor` runs, in the order a technician would look: runtime, model, data, box, network. */
export function doctorChecks(c: DoctorContext): Check[] {
  const load = modelLoader(c);
  const { http, mqtt } = c.config;
  return [
    nodeCheck(),
    onnxruntimeCheck(),
    modelCheck(c, load),
    adaptersCheck(c, load),
    providersCheck(c, load),
    databaseCheck(c),
    diskCheck(c),
    clockCheck(c),
    portCheck(c, 'http', http.host, http.port),
    portCheck(c, 'mqtt', mqtt.host, mqtt.port),
    ...(mqtt.tlsPort === undefined ? [] : [portCheck(c, 'mqtt tls', mqtt.host, mqtt.tlsPort)]),
    cloudCheck(c),
    certificateCheck(c),
  ];
}

export function runDoctor(c: DoctorContext, onCheck?: (check: DoctorCheck, index: number, total: number) => void): Promise<DoctorReport> {
  return runChecks(doctorChecks(c), onCheck);
}
