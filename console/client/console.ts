/**
 * The little the console does in the browser; every page works without it. A form marked
 * `data-once` cannot be sent twice (a double click on Launch), and a CSV file chosen for a launch
 * is read into the customer-id box, so the form sends text.
 */
document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.matches('[data-once]')) return;
  if (form.dataset.sent === 'yes') {
    event.preventDefault();
    return;
  }
  form.dataset.sent = 'yes';
  // After the form's data is taken: a button disabled before then would drop out of it (and with it, which one was pressed).
  setTimeout(() => {
    for (const button of form.querySelectorAll('button')) button.disabled = true;
  }, 0);
});

document.addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  const into = input.dataset.readInto;
  if (input.type !== 'file' || !into || !input.files?.[0]) return;
  const box = document.getElementById(into) as HTMLTextAreaElement | null;
  void input.files[0].text().then((text) => {
    if (box) box.value = text;
  });
});
