import mqtt from 'mqtt';
const [port, devs] = [Number(process.argv[2]), JSON.parse(process.argv[3]) as Array<{id: string; secret: string}>];
const clients = await Promise.all(devs.map((d) => mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: d.id, password: d.secret, reconnectPeriod: 0 })));
let acked = 0; const deadline = Date.now() + 8000;
await Promise.all(clients.map((c, i) => new Promise<void>((resolve) => { let seq = 0, inflight = 0; const pump = () => { while (inflight < 16 && Date.now() < deadline) { inflight++; c.publish(`hema3n/v1/devices/${devs[i].id}/vitals`, JSON.stringify({ seq: seq++, ts: Date.now(), measurements: [{code:'HR',value:80,unit:'/min'},{code:'RR',value:14,unit:'/min'},{code:'SPO2',value:97,unit:'%'},{code:'ETCO2',value:36,unit:'mmHg'}] }), { qos: 1 }, () => { acked++; inflight--; if (Date.now() < deadline) pump(); else if (!inflight) resolve(); }); } }; pump(); })));
console.log('msgs/s', acked / 8);
process.exit(0);
