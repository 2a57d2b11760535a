/* The home page's search box (front-door.html) is a label of Material's search toggle; Material focuses
 * its search input only for the header's own label, so this does the same for ours. */
document.addEventListener("click", function (event) {
  var input = document.querySelector(".md-search__input");
  if (input && event.target instanceof Element && event.target.closest(".hc-front-search")) input.focus();
});
