/* global window, document */
/*
 * Loaded before the GraphiQL bundle (web/graphiql.ts): Monaco's workers are served from this
 * host (/graphiql/assets/worker-*.js), not built from blob: URLs, so the CSP can say
 * `worker-src 'self'`.
 */
(function () {
  'use strict';
  var workers = JSON.parse(document.getElementById('bi-config').textContent).workers;
  window.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) {
      return workers[label] || workers.editorWorkerService;
    },
  };
})();
