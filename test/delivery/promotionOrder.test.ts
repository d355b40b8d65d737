import { Conflict, Validation } from '../../shared/platform/http/errors';
import { nextStage } from '../../shared/delivery/promotionService';

// The rule of `POST …/releases/{id}/promotions`: stage by stage, once per environment.
const chain = [{ name: 'dev' }, { name: 'staging' }, { name: 'production' }];
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return error instanceof Conflict || error instanceof Validation ? `${error.status} ${error.code}` : String(error);
  }
};

describe('which environment a release may be promoted to next', () => {
  it('is the one after the furthest Succeeded promotion', () => {
    expect(nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }], 'staging')).toEqual({ name: 'staging' });
    expect(nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }, { environment: 'staging', phase: 'Succeeded' }], 'production')).toEqual({ name: 'production' });
    expect(nextStage('r', chain, [], 'dev')).toEqual({ name: 'dev' });
    // A release made for staging only continues to production.
    expect(nextStage('r', chain, [{ environment: 'staging', phase: 'Succeeded' }], 'production')).toEqual({ name: 'production' });
  });

  it('refuses to skip a stage or to go back, naming the stage due', () => {
    expect(codeOf(() => nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }], 'production'))).toBe('409 PromotionOutOfOrder');
    expect(() => nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }], 'production')).toThrow("must be promoted to staging before production");
    expect(codeOf(() => nextStage('r', chain, [], 'staging'))).toBe('409 PromotionOutOfOrder');
    expect(codeOf(() => nextStage('r', chain, [{ environment: 'staging', phase: 'Succeeded' }], 'dev'))).toBe('409 PromotionOutOfOrder');
  });

  it('promotes once per environment, whatever the first outcome was', () => {
    expect(codeOf(() => nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }], 'dev'))).toBe('409 AlreadyPromoted');
    expect(codeOf(() => nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }, { environment: 'staging', phase: 'RolledBack' }], 'staging'))).toBe('409 AlreadyPromoted');
    expect(codeOf(() => nextStage('r', chain, [{ environment: 'dev', phase: 'Succeeded' }, { environment: 'staging', phase: 'RolledBack' }], 'production'))).toBe('409 PromotionOutOfOrder');
  });

  it('answers 400 on body.environment for an environment the project does not release to', () => {
    const twoStages = [{ name: 'dev' }, { name: 'production' }];
    expect(codeOf(() => nextStage('r', twoStages, [{ environment: 'dev', phase: 'Succeeded' }], 'staging'))).toBe('400 ValidationFailed');
    try {
      nextStage('r', twoStages, [], 'staging');
    } catch (error) {
      expect((error as Validation).errors.map((e) => e.path)).toEqual(['body.environment']);
    }
  });
});
