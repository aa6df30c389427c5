import type { Preview } from '@storybook/web-components-vite';
import '@xiaoer/widget/define';

const preview: Preview = {
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  globalTypes: {
    locale: {
      description: 'Widget language',
      toolbar: { title: 'Locale', icon: 'globe', items: [{ value: 'zh-CN', title: '中文' }, { value: 'en', title: 'English' }], dynamicTitle: true },
    },
  },
  initialGlobals: { locale: 'zh-CN' },
};
export default preview;
