// Requests to the newsroom: same-origin, with the session cookie, answers in JSON.

/** The form's fields as FormData, without files and without a button's action. */
export function formFields(form) {
  const data = new FormData(form);
  for (const [name, value] of [...data.entries()]) {
    if (typeof value !== 'string') data.delete(name);
  }
  data.delete('action');
  return data;
}

/** POSTs `data`; resolves to { ok, status, body } with the JSON body or {} when none. */
export async function postJson(url, data) {
  const response = await fetch(url, {
    method: 'POST',
    body: data,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  let body = {};
  try {
    body = await response.json();
  } catch {
    // an answer without JSON keeps {}
  }
  return { ok: response.ok, status: response.status, body };
}

/** The message to show for a failed answer, in the journalist's words. */
export function failure(answer, fallback) {
  return (answer.body && typeof answer.body.error === 'string' && answer.body.error) || fallback;
}
