// The service area of the panel, one chunk of the script-tag build (see internal/lazy-elements.ts):
// help center, leave a message, complaint, and the rating card shown after an agent's session.
export { XiaoerHelpCenter } from '../components/help-center/help-center.js';
export { XiaoerLeaveMessage } from '../components/leave-message/leave-message.js';
export { XiaoerComplaintForm } from '../components/complaint-form/complaint-form.js';
export { XiaoerRating } from '../components/rating/rating.js';
