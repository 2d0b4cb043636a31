/* global window, document, sessionStorage, location, Headers, Request, URL, YogaGraphiQL */
/*
 * GraphiQL bootstrap (served by web/graphiql.ts; no inline script, CSP `script-src 'self'`).
 * The access token (pasted, or from the dev persona picker) is kept in sessionStorage for this
 * tab only and added as `Authorization: Bearer …` to requests to the GraphQL endpoint of this
 * origin, unless the request already has an Authorization header (GraphiQL's header editor).
 * Changing the token reloads the page, so GraphiQL fetches the schema as the new caller.
 */
(function () {
  'use strict';
  var TOKEN_KEY = 'builder-insights:access-token';
  var PERSONA_KEY = 'builder-insights:persona';
  var config = JSON.parse(document.getElementById('bi-config').textContent);
  var endpoint = new URL(config.endpoint, location.href);
  var status = document.getElementById('bi-status');

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  function say(text) {
    status.textContent = text;
  }

  function useToken(value, persona) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    if (persona) sessionStorage.setItem(PERSONA_KEY, persona);
    else sessionStorage.removeItem(PERSONA_KEY);
    location.reload();
  }

  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(input instanceof Request ? input.url : String(input), location.href);
    var current = token();
    if (current && url.origin === endpoint.origin && url.pathname === endpoint.pathname) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has('authorization')) headers.set('authorization', 'Bearer ' + current);
      init = Object.assign({}, init, { headers: headers });
    }
    return originalFetch(input, init);
  };

  document.getElementById('bi-token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = document.getElementById('bi-token').value.trim().replace(/^Bearer\s+/i, '');
    if (value) useToken(value, '');
  });
  document.getElementById('bi-clear').addEventListener('click', function () {
    useToken('', '');
  });

  var picker = document.getElementById('bi-persona');
  if (picker && config.devIssuer) {
    originalFetch(config.devIssuer + '/personas', { headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (personas) {
        personas.forEach(function (persona) {
          var option = document.createElement('option');
          option.value = persona.key;
          option.textContent = persona.key + ' (' + persona.kind + ')';
          option.title = persona.description;
          picker.appendChild(option);
        });
        picker.value = sessionStorage.getItem(PERSONA_KEY) || '';
      })
      .catch(function () {
        say('The persona list could not be loaded.');
      });
    picker.addEventListener('change', function () {
      if (!picker.value) return;
      say('Signing in as ' + picker.value + '…');
      originalFetch(config.devIssuer + '/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ persona: picker.value }),
      })
        .then(function (response) {
          if (!response.ok) throw new Error('status ' + response.status);
          return response.json();
        })
        .then(function (body) {
          useToken(body.access_token, picker.value);
        })
        .catch(function (error) {
          say('No token for ' + picker.value + ': ' + error.message);
        });
    });
  }

  var persona = sessionStorage.getItem(PERSONA_KEY);
  say(token() ? (persona ? 'Signed in as ' + persona : 'Using the pasted token') : 'No token: paste one' + (config.devIssuer ? ' or pick a persona' : ''));

  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), {
    endpoint: config.endpoint,
    title: config.title,
    defaultTabs: config.tabs,
    shouldPersistHeaders: false,
    credentials: 'omit',
  });
})();
