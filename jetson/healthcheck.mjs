// Container healthcheck (docker-compose.edge.yml, Dockerfile.l4t): exit 0 when GET /health says
// ready. It runs outside the entrypoint, so it reads the provisioned env file itself; with the
// appliance certificate configured the API speaks HTTPS only, and that certificate is the only CA.
import { existsSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';

const settings = { ...process.env };
const envFile = process.env.HEMA3N_ENV_FILE;
if (envFile && existsSync(envFile)) {
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    // As in the hema3n wrapper that starts the daemon: the file wins over the container environment.
    if (match) settings[match[1]] = match[2];
  }
}

const port = Number(settings.HEMA3N_HTTP_PORT || 8080);
const cert = settings.HEMA3N_HTTP_TLS_CERT_FILE;
const options = { host: '127.0.0.1', port, path: '/health', timeout: 5000 };
const request = cert
  ? httpsGet({ ...options, ca: readFileSync(cert), servername: 'localhost' }, check)
  : httpGet(options, check);
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  console.error(`health: ${error.message}`);
  process.exit(1);
});

function check(response) {
  let body = '';
  response.on('data', (chunk) => (body += chunk));
  response.on('end', () => {
    const ready = response.statusCode === 200 && JSON.parse(body).ready === true;
    if (!ready) console.error(`health: ${response.statusCode} ${body.slice(0, 200)}`);
    process.exit(ready ? 0 : 1);
  });
}
