import { css } from 'lit';

/**
 * What every view shares: the tokens (the same two layers as `<xiaoer-chat>`), headings, buttons,
 * form fields with their errors, lists, cards and timelines. Views add little of their own.
 */
export const viewStyles = css`
  :host {
    --_primary: var(--xiaoer-color-primary, #c2410c);
    --_on-primary: var(--xiaoer-color-on-primary, #ffffff);
    --_surface: var(--xiaoer-color-surface, #ffffff);
    --_surface-alt: var(--xiaoer-color-surface-alt, #f4f4f5);
    --_text: var(--xiaoer-color-text, #18181b);
    --_muted: var(--xiaoer-color-text-muted, #52525b);
    --_border: var(--xiaoer-color-border, #d4d4d8);
    --_danger: var(--xiaoer-color-danger, #b91c1c);
    --_success: var(--xiaoer-color-success, #15803d);
    --_radius: var(--xiaoer-radius, 12px);

    padding: var(--xiaoer-view-padding, 12px 16px 16px);
    overflow-wrap: anywhere;
  }

  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    letter-spacing: inherit;
  }

  button {
    cursor: pointer;
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  h3,
  h4,
  p,
  ul,
  ol,
  dl,
  dd,
  fieldset {
    margin: 0;
  }

  .heading {
    margin: 0 0 12px;
    font-size: 17px;
    font-weight: 600;
  }

  .heading:focus {
    outline: none;
  }

  h4 {
    margin: 16px 0 6px;
    font-size: 14px;
    font-weight: 600;
  }

  .muted {
    color: var(--_muted);
    font-size: 12px;
  }

  .stack > * + * {
    margin-top: 8px;
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }

  .spread {
    display: flex;
    justify-content: space-between;
    gap: 8px;
  }

  .pre {
    white-space: pre-wrap;
  }

  .apply {
    margin-top: 16px;
  }

  .grow {
    flex: 1;
    min-width: 0;
  }

  .plain {
    padding: 0;
    list-style: none;
  }

  .btn {
    padding: 6px 14px;
    border: 1px solid var(--xiaoer-button-border-color, var(--_border));
    border-radius: 8px;
    background: var(--xiaoer-button-bg, var(--_surface));
    font-size: 13px;
    text-align: center;
  }

  .btn.primary {
    border-color: var(--xiaoer-button-primary-bg, var(--_primary));
    background: var(--xiaoer-button-primary-bg, var(--_primary));
    color: var(--xiaoer-button-primary-color, var(--_on-primary));
    font-weight: 600;
  }

  .btn.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }

  .link {
    padding: 0;
    border: none;
    background: none;
    color: var(--_primary);
    text-decoration: underline;
    text-align: start;
  }

  .card {
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--xiaoer-card-bg, var(--_surface));
  }

  .list > li + li {
    margin-top: 8px;
  }

  .badge {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--_surface-alt);
    font-size: 12px;
    white-space: nowrap;
  }

  .notice {
    padding: 8px 12px;
    border-radius: 8px;
    background: var(--_surface-alt);
  }

  .error {
    color: var(--_danger);
    font-size: 12px;
  }

  .ok {
    color: var(--_success);
  }

  .error:empty,
  .ok:empty {
    display: none;
  }

  /* ------------------------------------------------------------ forms */

  form,
  .form {
    display: grid;
    gap: 12px;
  }

  fieldset {
    min-width: 0;
    padding: 0;
    border: none;
  }

  legend,
  label,
  .label {
    display: block;
    margin-bottom: 4px;
    font-weight: 600;
    font-size: 13px;
  }

  .choice {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 4px 0;
    font-weight: normal;
  }

  input:not([type='checkbox']):not([type='radio']):not([type='file']),
  select,
  textarea {
    display: block;
    width: 100%;
    min-height: 36px;
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--xiaoer-input-bg, var(--_surface));
  }

  textarea {
    min-height: 72px;
    resize: vertical;
  }

  [aria-invalid='true'] {
    border-color: var(--_danger) !important;
  }

  .hint {
    margin-top: 2px;
    color: var(--_muted);
    font-size: 12px;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: 12px;
  }

  /* ------------------------------------------------------------ timelines */

  .timeline {
    padding: 0 0 0 14px;
    list-style: none;
    border-left: 2px solid var(--_border);
  }

  .timeline li {
    position: relative;
    padding: 0 0 10px 6px;
  }

  .timeline li::before {
    content: '';
    position: absolute;
    left: -20px;
    top: 6px;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--_border);
  }

  .timeline li:first-child::before {
    background: var(--_primary);
  }

  .facts {
    margin-top: 8px;
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 12px;
  }

  .facts dt {
    color: var(--_muted);
  }

  .thumb {
    width: 56px;
    height: 56px;
    flex: none;
    object-fit: cover;
    border-radius: 6px;
    background: var(--_surface-alt);
  }

  @media (forced-colors: active) {
    .btn,
    .card {
      border: 1px solid CanvasText;
    }
  }
`;
