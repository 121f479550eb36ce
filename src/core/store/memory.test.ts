import { storeConformance } from '../../testing/store-conformance.js';
import { createMemoryStore } from './memory.js';

storeConformance('memory', async () => ({ store: createMemoryStore() }));
