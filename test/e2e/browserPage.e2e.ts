import { describePage } from './pageSuite.js';

// examples/browser, served by examples/node-server at `/`.
describePage({ name: 'The browser page', slug: 'browser-page', path: '/' });
