import { ProxyOptions } from '../src';
import { PoolProps, VERSIONS, configErrorOf, containerOf, controllerPodOf, envOf, poolObjects, taskPodOf } from './support/builders';
import { referenceObjects } from './support/reference-objects';

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];
function containersOf(objects: any[]) {
  return {
    controller: containerOf(controllerPodOf(objects), 'controller'),
    worker: containerOf(taskPodOf(objects), 'worker'),
    runner: containerOf(taskPodOf(objects), 'runner'),
  };
}
const containers = (props: PoolProps) => containersOf(poolObjects(props));

describe('common.proxy', () => {
  const proxy = { httpProxy: 'http://proxy.internal:3128', httpsProxy: 'http://proxy.internal:3128', noProxy: ['.svc', '10.0.0.0/8', 'kubernetes.default'] };

  test('sets the proxy variables of the 0.6.5 reference 15-proxy-inline-tls in the controller, worker and runner', () => {
    // values.yaml of the scenario: the same proxy for http and https, noProxy as a comma-separated list.
    const expected = containersOf(referenceObjects('0.6.5', '15-proxy-inline-tls'));
    const actual = containers({
      common: {
        proxy: {
          httpProxy: 'http://proxy.example.com:3128',
          httpsProxy: 'http://proxy.example.com:3128',
          noProxy: ['localhost', '127.0.0.1', '.svc', '.cluster.local', '10.0.0.0/8'],
        },
      },
    });
    const proxyEnv = (c: any) => c.env.filter((e: any) => PROXY_VARIABLES.includes(e.name));
    for (const name of ['controller', 'worker', 'runner'] as const) {
      expect([name, proxyEnv(actual[name])]).toEqual([name, proxyEnv(expected[name])]);
    }
  });

  test.each(VERSIONS.map((v) => [v.version, v] as const))('chart %s: sets HTTP_PROXY, HTTPS_PROXY and NO_PROXY in the controller, worker and runner', (_v, version) => {
    const all = containers({ version, common: { proxy } });
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
    expect(configErrorOf(() => containers({ common: { proxy }, task: { runner: { extraEnv: { HTTP_PROXY: 'http://other:1' } } } })).message)
      .toMatch(/^task\.runner\.extraEnv\.HTTP_PROXY: got "HTTP_PROXY"; expected a variable the library does not set in the runner container/);
    expect(configErrorOf(() => containers({ common: { proxy }, agent: { extraEnv: { NO_PROXY: 'x' } } })).path).toBe('agent.extraEnv.NO_PROXY');
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
    const error = configErrorOf(() => containers({ common: { proxy: given as ProxyOptions } }));
    expect(error.path).toBe(path);
    expect(error.expected).toMatch(expected);
  });
});
