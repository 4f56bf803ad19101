// A tiny app importing the package by name, built by Vite with no plugins and no set-up call.
import { checkAction } from 'nova-states';

const verdict = checkAction('pause', { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null });
window.result = { allowed: verdict.allowed, kind: verdict.denials[0].kind };
document.getElementById('out').textContent = JSON.stringify(window.result);
