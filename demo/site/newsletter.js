// The email landing's rewards offer: the subscriber id from the email link travels with the
// visitor's shares only if they say yes (the engine asks for consent before it sends that id).
const offer = document.getElementById('remember');
offer.addEventListener('click', (event) => {
  const answer = event.target.closest('button')?.dataset.consent;
  if (!answer) return;
  if (answer === 'yes') window.sharetrack('consent', true);
  offer.textContent = answer === 'yes' ? 'Thank you: your shares now count for your rewards.' : 'No problem.';
});
