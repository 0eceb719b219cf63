import base from '../../tools/jest.base.js';

export default { ...base, displayName: 'scenarios' };
