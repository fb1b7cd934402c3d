// An example cdk8s app with two Scalr agent pools: a current one (chart 0.6.5, agent 1.4.0) with a
// token from an existing Secret, a persistent provider and module cache on a ReadWriteMany claim
// and two controller replicas, and a legacy pool that stays on chart 0.5.62 (agent 0.55.2).
// `go run .` (or `cdk8s synth`) writes the manifests to dist/.
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus30/v2"
	"github.com/example/cdk8s-scalr-agent-job-go/scalragentjob"
)

func main() {
	app := cdk8s.NewApp(nil)

	scalragentjob.NewAgentJobChart(app, jsii.String("scalr-agent"), &scalragentjob.AgentJobChartProps{
		// Pin it: the default follows the library's latest chart version.
		Version:     scalragentjob.ChartVersion_V0_6_5(),
		ReleaseName: jsii.String("scalr-agent"),
		Namespace:   jsii.String("scalr"),
		Token:       scalragentjob.AgentToken_FromSecretName(jsii.String("scalr-agent-token"), jsii.String("token")),
		Agent: &scalragentjob.AgentOptions{
			Url:      jsii.String("https://example.scalr.io"),
			Replicas: jsii.Number(2),
			ProviderCache: &scalragentjob.ProviderCacheOptions{
				Enabled:   jsii.Bool(true),
				SizeLimit: cdk8s.Size_Gibibytes(jsii.Number(20)),
			},
			ModuleCache: &scalragentjob.ModuleCacheOptions{
				Enabled:   jsii.Bool(true),
				SizeLimit: cdk8s.Size_Gibibytes(jsii.Number(10)),
			},
		},
		Persistence: &scalragentjob.PersistenceOptions{
			Cache: scalragentjob.VolumeStorage_NewClaim(&scalragentjob.NewClaimStorageOptions{
				Storage:    cdk8s.Size_Gibibytes(jsii.Number(50)),
				AccessMode: cdk8splus30.PersistentVolumeAccessMode_READ_WRITE_MANY,
			}),
		},
	})

	scalragentjob.NewAgentJobChart(app, jsii.String("legacy-agent"), &scalragentjob.AgentJobChartProps{
		Version:     scalragentjob.ChartVersion_V0_5_62(),
		ReleaseName: jsii.String("legacy-agent"),
		Namespace:   jsii.String("scalr-legacy"),
		Token:       scalragentjob.AgentToken_FromSecretName(jsii.String("legacy-agent-token"), nil),
		Agent: &scalragentjob.AgentOptions{
			Url: jsii.String("https://example.scalr.io"),
		},
	})

	app.Synth()
}
