// A server component: the verdict is computed on the server at request time (next start).
import { checkAction } from 'nova-states';
import ClientVerdict from './client-verdict';

export const dynamic = 'force-dynamic';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };

export default function Page() {
  const verdict = checkAction('unpause', stopped);
  const result = {
    unpause: verdict.allowed,
    message: verdict.allowed ? null : verdict.denials[0].message,
    start: checkAction('os-start', stopped).allowed,
  };
  return (
    <main>
      <pre id="server">{JSON.stringify(result)}</pre>
      <ClientVerdict />
    </main>
  );
}
