'use client';
// A client component: the verdict is computed in the browser, after hydration.
import { useEffect, useState } from 'react';
import { checkAction } from 'nova-states';

const stopped = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, status: 'SHUTOFF', locked: false, 'OS-SRV-USG:launched_at': '2024-01-01T00:00:00.000000', id: 'b1b2' };

export default function ClientVerdict() {
  const [result, setResult] = useState(null);
  useEffect(() => {
    const verdict = checkAction('unpause', stopped);
    const r = {
      unpause: verdict.allowed,
      message: verdict.allowed ? null : verdict.denials[0].message,
      start: checkAction('os-start', stopped).allowed,
    };
    // Since navigation start: Next.js owns <head>, so there is no earlier mark to take.
    window.__result = { ...r, ms: performance.now() };
    setResult(r);
  }, []);
  return <pre id="client">{result ? JSON.stringify(result) : 'pending'}</pre>;
}
