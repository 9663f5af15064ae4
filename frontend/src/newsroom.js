// The newsroom's one script: a progressive enhancement over forms that work
// without it. Each part starts only where its page asks for it.
import '@github/markdown-toolbar-element';
import { startEditor } from './editor.js';
import { startDesk } from './desk.js';

const form = document.getElementById('story-form');
if (form) startEditor(form);

const desk = document.getElementById('desk-lists');
if (desk) startDesk(desk);
