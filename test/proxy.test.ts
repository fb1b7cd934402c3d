import { Testing } from 'cdk8s';
import { AgentJobChart, AgentJobChartProps, AgentToken } from '../src';

const token = AgentToken.fromValue('example-agent-pool-token');
function containers(props: Omit<AgentJobChartProps, 'token'>) {
  const objects = Testing.synth(new AgentJobChart(Testing.app(), 'pool', { token, ...props }));
  const controller = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
  const pod = objects.find((o) => o.kind === 'AgentTask').spec.jobTemplate.spec.template.spec;
  return { controller, worker: pod.initContainers[0], runner: pod.containers[0] };
}
const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));

describe('common.proxy', () => {
  const proxy = { httpProxy: 'http://proxy.internal:3128', httpsProxy: 'http://proxy.internal:3128', noProxy: ['.svc', '10.0.0.0/8', 'kubernetes.default'] };

  test('sets HTTP_PROXY, HTTPS_PROXY and NO_PROXY in the controller, worker and runner', () => {
    const all = containers({ common: { proxy } });
    for (const c of [all.controller, all.worker, all.runner]) {
      expect([c.name, envOf(c)]).toEqual([c.name, expect.objectContaining({
        HTTP_PROXY: 'http://proxy.internal:3128', HTTPS_PROXY: 'http://proxy.internal:3128', NO_PROXY: '.svc,10.0.0.0/8,kubernetes.default',
      })]);
    }
  });

  test('renders only the variables that are given', () => {
    const { runner } = containers({ common: { proxy: { httpsProxy: 'https://proxy.example.com' } } });
    expect(runner.env).toEqual([{ name: 'HTTPS_PROXY', value: 'https://proxy.example.com' }]);
  });

  test('puts the proxy before the user variables, which may not redefine it', () => {
    const { runner } = containers({ common: { proxy }, task: { runner: { extraEnv: { TF_LOG: 'DEBUG' } } } });
    expect(runner.env.map((e: any) => e.name)).toEqual(['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'TF_LOG']);
    expect(() => containers({ common: { proxy }, task: { runner: { extraEnv: { HTTP_PROXY: 'http://other:1' } } } }))
      .toThrow(/^task\.runner\.extraEnv\.HTTP_PROXY: got "HTTP_PROXY"; expected a variable the library does not set in the runner container/);
    expect(() => containers({ common: { proxy }, agent: { extraEnv: { NO_PROXY: 'x' } } })).toThrow(/^agent\.extraEnv\.NO_PROXY/);
  });

  test('without a proxy nothing changes, and user variables of the same name are allowed', () => {
    const { runner, controller } = containers({ agent: { extraEnv: { HTTPS_PROXY: 'http://p:1' } } });
    expect(runner.env).toBeUndefined();
    expect(envOf(controller).HTTPS_PROXY).toBe('http://p:1');
  });

  test.each([
    ['common.proxy.httpProxy', { httpProxy: 'proxy.internal:3128' }, /a proxy URL such as/],
    ['common.proxy.httpsProxy', { httpsProxy: 'socks5://proxy:1080' }, /http or https, no path/],
    ['common.proxy.httpProxy', { httpProxy: 'http://proxy/some/path' }, /no path/],
    ['common.proxy.noProxy[1]', { httpProxy: 'http://p:1', noProxy: ['.svc', 'a,b'] }, /without commas or spaces/],
    ['common.proxy', { noProxy: ['.svc'] }, /httpProxy, httpsProxy or both/],
  ])('rejects a wrong %s', (path, given, expected) => {
    expect(() => containers({ common: { proxy: given } })).toThrow(new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: got`));
    expect(() => containers({ common: { proxy: given } })).toThrow(expected);
  });
});
