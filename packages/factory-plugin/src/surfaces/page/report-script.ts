/**
 * The report page's script (static; the page works without it): times shown in the reader's
 * time zone, the audit history filtered as one types, and every collapsed section opened for
 * printing. Written as ES2017 for any current browser; no data is embedded in it.
 */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  function localTimes(root) {
    var times = root.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var d = new Date(times[i].getAttribute('datetime'));
      if (!isNaN(d.getTime())) times[i].title = d.toLocaleString();
    }
  }
  function filters(root) {
    var inputs = root.querySelectorAll('input[data-filter]');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].addEventListener('input', function (e) {
        var input = e.target;
        var q = input.value.trim().toLowerCase();
        var table = document.getElementById(input.getAttribute('data-filter'));
        if (!table) return;
        var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
        var shown = 0;
        for (var j = 0; j < rows.length; j++) {
          var hit = !q || rows[j].textContent.toLowerCase().indexOf(q) >= 0;
          rows[j].hidden = !hit;
          if (hit) shown++;
        }
        var count = document.getElementById(input.getAttribute('data-filter') + '-count');
        if (count) count.textContent = shown + ' of ' + rows.length;
      });
    }
  }
  window.addEventListener('beforeprint', function () {
    var ds = document.querySelectorAll('details');
    for (var i = 0; i < ds.length; i++) ds[i].open = true;
  });
  window.factoryEnhance = function (root) { localTimes(root); filters(root); };
  window.factoryEnhance(document);
})();`;
