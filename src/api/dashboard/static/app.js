// The dashboard's shell: sign-in with an API key, sign-out, and the hash routes `#/` (overview) and
// `#/messages/<id>` (one message's timeline).
/* global document, location, window */
import { api, session } from './api.js';
import { replace } from './dom.js';
import { renderMessage } from './message.js';
import { renderOverview } from './overview.js';

const $ = (id) => document.getElementById(id);

function showSignIn(message = '') {
  $('sign-in').hidden = false;
  $('sign-out').hidden = true;
  $('project').textContent = '';
  $('sign-in-error').textContent = message;
  replace($('view'));
  $('api-key').focus();
}

async function showApp() {
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  try {
    const project = await api('/v1/projects/current');
    $('project').textContent = project.name;
  } catch (err) {
    if (err.status === 401) {
      session.signOut();
      return showSignIn('That key is not valid (or was revoked).');
    }
  }
  route();
}

function route() {
  if (!session.key()) return;
  const match = /^#\/messages\/(.+)$/.exec(location.hash);
  if (match) void renderMessage($('view'), decodeURIComponent(match[1]));
  else renderOverview($('view'));
  window.scrollTo(0, 0);
}

function start() {
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    try {
      await api('/v1/projects/current', key);
    } catch (err) {
      $('sign-in-error').textContent = err.status === 401 ? 'That key is not valid (or was revoked).' : err.message;
      return;
    }
    session.signIn(key);
    $('api-key').value = '';
    void showApp();
  });
  $('sign-out').addEventListener('click', () => {
    session.signOut();
    location.hash = '#/';
    showSignIn();
  });
  window.addEventListener('hashchange', route);
  if (session.key()) void showApp();
  else showSignIn();
}

start();
