// The React consumer: the README's React example rendered for the README's stopped server.
// run.mjs copies this file, ../t0.js and the first ```jsx block of the INSTALLED package's
// README.md (as ServerActions.jsx) into dist/react-readme-src/, then bundles it with esbuild
// (--jsx=automatic, no plugins). The page reports window.__result once React has committed;
// run.mjs then reads the buttons as a person sees them.
import { t0 } from './t0.js';
import { useEffect, version } from 'react';
import { createRoot } from 'react-dom/client';
import { actionsFor } from 'nova-states';
import { ServerActions } from './ServerActions.jsx';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2', tenant_id: 'p1', user_id: 'u1' };
// A Keystone token of a member of the server's project (the parts of it the example reads).
const token = { roles: [{ id: 'r1', name: 'member' }, { id: 'r2', name: 'reader' }], project: { id: 'p1', name: 'demo' }, user: { id: 'u1', name: 'demo' } };
const credentials = { roles: ['member', 'reader'], projectId: 'p1', userId: 'u1' };

// Every onAction call, for run.mjs to check that clicking a button reaches the app.
window.__actions = [];
const onAction = (...args) => { window.__actions.push(args); };

function App() {
  useEffect(() => {
    const ms = performance.now() - t0;
    // What each button should show, straight from the library, to compare with the DOM.
    const expected = actionsFor(stopped, { credentials }).map(({ action, verdict }) => ({
      action, allowed: verdict.allowed, text: verdict.allowed ? null : verdict.denials[0].text,
    }));
    window.__result = { ms, react: version, expected };
  }, []);
  return (
    <main>
      <h1>Server b1b2 <small>(SHUTOFF, vm_state stopped)</small></h1>
      <p className="note">Rendered by the README&apos;s <code>ServerActions</code>, exactly as README.md shows it.</p>
      <ServerActions server={stopped} token={token} onAction={onAction} />
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
