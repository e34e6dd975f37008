// The demo's conversion: a signup worth the first month, reported to ShareTrack. No address leaves
// the page: the demo has no backend.
document.getElementById('signup').addEventListener('submit', (event) => {
  event.preventDefault();
  window.sharetrack('conversion', 'signup', 24);
  event.target.hidden = true;
  document.getElementById('thanks').hidden = false;
});
