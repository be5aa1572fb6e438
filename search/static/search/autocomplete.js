// Autocomplete for search boxes: suggestions from /api/search/suggest/ fill a
// <datalist>. Search works the same without this script.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest-url]");
  Array.prototype.forEach.call(inputs, function (input, index) {
    var list = document.createElement("datalist");
    var timer = null;
    var latest = "";
    list.id = "search-suggestions-" + index;
    input.setAttribute("list", list.id);
    input.parentNode.appendChild(list);
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < 2) {
        list.textContent = "";
        return;
      }
      timer = window.setTimeout(function () {
        latest = text;
        var url = input.getAttribute("data-suggest-url") + "?lang=" + encodeURIComponent(input.getAttribute("data-lang")) + "&q=" + encodeURIComponent(text);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            if (latest !== text) { return; }
            list.textContent = "";
            data.suggestions.forEach(function (title) {
              var option = document.createElement("option");
              option.value = title;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 150);
    });
  });
})();
