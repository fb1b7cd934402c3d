// An example cdk8s app: one Scalr agent pool with a token from an existing Secret, a persistent
// provider cache on a ReadWriteMany claim and two controller replicas.
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
		},
		Persistence: &scalragentjob.PersistenceOptions{
			Cache: scalragentjob.VolumeStorage_NewClaim(&scalragentjob.NewClaimStorageOptions{
				Storage:    cdk8s.Size_Gibibytes(jsii.Number(50)),
				AccessMode: cdk8splus30.PersistentVolumeAccessMode_READ_WRITE_MANY,
			}),
		},
	})

	app.Synth()
}
