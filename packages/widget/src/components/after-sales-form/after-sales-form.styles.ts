import { css } from 'lit';

export const afterSalesFormStyles = css`
  form {
    margin-top: 16px;
  }

  .card > h4:first-child {
    margin-top: 0;
  }

  .facts-list {
    margin-top: 8px;
    padding-top: 8px;
    border-top: 1px solid var(--_border);
  }

  .line {
    margin-bottom: 6px;
  }

  .qty {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 0 24px;
    font-weight: normal;
  }

  .qty input {
    width: 80px !important;
  }

  .slot {
    margin-top: 10px;
  }

  .photos {
    display: grid;
    gap: 6px;
    margin-bottom: 6px;
  }

  .photo {
    display: flex;
    align-items: center;
    gap: 8px;
  }

  .photo.failed .upload-state {
    color: var(--_danger);
  }

  .photo.uploaded .upload-state {
    color: var(--_success);
  }

  .upload-state {
    flex: 1;
    font-size: 12px;
  }

  .file {
    display: inline-block;
    position: relative;
    margin: 0;
    font-weight: normal;
  }

  .file:focus-within {
    outline: 2px solid var(--xiaoer-color-focus, #2563eb);
    outline-offset: 2px;
  }

  .file.disabled {
    opacity: 0.6;
  }
`;
