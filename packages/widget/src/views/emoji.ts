// The composer's emoji picker, a small chunk of its own in the script-tag build (see
// internal/lazy-elements.ts): opening it should not load the help center's FAQ search.
export { XiaoerEmojiPicker } from '../components/emoji-picker/emoji-picker.js';
