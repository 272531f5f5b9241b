// Simulation view: announces itself to the extension (ready handshake); content is rendered by the host.
(function () {
  const vscode = acquireVsCodeApi();
  vscode.postMessage({ type: 'ready' });
})();
