/**
 * The script report.html runs: render each chart spec with vega-embed (SVG renderer, no action menu,
 * so nothing links out), then mark the page done or failed for people and tests alike
 * (body[data-charts="rendered" | "failed"]). Plain ES2017 so that older browsers run it.
 */
export const CLIENT_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('fundcast-charts').textContent);
  var names = Object.keys(specs);
  var failed = false;
  Promise.all(names.map(function (name) {
    var el = document.getElementById('chart-' + name);
    return vegaEmbed(el, specs[name], { actions: false, renderer: 'svg' }).then(function () {
      el.setAttribute('data-rendered', 'true');
    }).catch(function (err) {
      failed = true;
      el.setAttribute('data-error', String(err && err.message || err));
      el.textContent = String(err && err.message || err);
      console.error('chart ' + name + ': ' + (err && err.message || err));
    });
  })).then(function () {
    document.body.setAttribute('data-charts', failed ? 'failed' : 'rendered');
  });
})();
`;
