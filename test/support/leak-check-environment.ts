import NodeEnvironment from 'jest-environment-node';

/**
 * The Node test environment, plus a check after each test file: every pool and server the file
 * opened through test/support (see resources.ts) must be closed by then, or the file fails.
 */
export default class LeakCheckEnvironment extends NodeEnvironment {
  override async teardown(): Promise<void> {
    const open = (this.global as { __outreachOpenResources?: Set<string> }).__outreachOpenResources;
    const leaked = open === undefined ? [] : [...open];
    await super.teardown();
    if (leaked.length > 0) throw new Error(`test file left open: ${leaked.join(', ')}`);
  }
}
