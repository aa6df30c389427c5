import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

export interface FieldOptions {
  /** Unique within the view's shadow root. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** The problem to show beside the field (it then gets `aria-invalid` and `aria-describedby`). */
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly multiline?: boolean;
  readonly type?: string;
  readonly autocomplete?: string;
  readonly inputmode?: string;
  readonly required?: boolean;
  readonly onInput: (value: string) => void;
}

/** A labelled text field with its hint and error, wired for assistive technology. */
export function field(o: FieldOptions) {
  const hintId = o.hint ? `${o.id}-hint` : '';
  const errorId = `${o.id}-error`;
  const describedBy = [o.error ? errorId : '', hintId].filter(Boolean).join(' ') || undefined;
  const onInput = (e: Event) => o.onInput((e.target as HTMLInputElement).value);
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    ${o.multiline
      ? html`<textarea
          id=${o.id}
          .value=${live(o.value)}
          aria-invalid=${o.error ? 'true' : 'false'}
          aria-describedby=${ifDefined(describedBy)}
          ?required=${o.required}
          @input=${onInput}
        ></textarea>`
      : html`<input
          id=${o.id}
          type=${o.type ?? 'text'}
          .value=${live(o.value)}
          autocomplete=${ifDefined(o.autocomplete)}
          inputmode=${ifDefined(o.inputmode)}
          aria-invalid=${o.error ? 'true' : 'false'}
          aria-describedby=${ifDefined(describedBy)}
          ?required=${o.required}
          @input=${onInput}
        />`}
    ${o.hint ? html`<p class="hint" id=${hintId}>${o.hint}</p>` : nothing}
    <p class="error" id=${errorId}>${o.error ?? nothing}</p>
  </div>`;
}
