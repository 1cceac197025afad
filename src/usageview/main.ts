/** Entry of media/usage.js: starts the usage report. */
import { UsageApp } from './usageApp';
import { connectUsageHost } from './usageHost';

const root = document.getElementById('app');
if (root) new UsageApp(connectUsageHost(), root);
