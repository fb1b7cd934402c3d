"""An example cdk8s app: one Scalr agent pool with a token from an existing Secret, a persistent
provider cache on a ReadWriteMany claim and two controller replicas.

`python main.py` (or `cdk8s synth`) writes the manifests to dist/.
"""
import cdk8s_plus_30 as kplus
from cdk8s import App, Size
from cdk8s_scalr_agent_job import AgentJobChart, AgentToken, VolumeStorage

app = App()

AgentJobChart(
    app,
    "scalr-agent",
    release_name="scalr-agent",
    namespace="scalr",
    token=AgentToken.from_secret_name("scalr-agent-token", "token"),
    agent={
        "url": "https://example.scalr.io",
        "replicas": 2,
        "provider_cache": {"enabled": True, "size_limit": Size.gibibytes(20)},
    },
    persistence={
        "cache": VolumeStorage.new_claim(
            storage=Size.gibibytes(50),
            access_mode=kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
        ),
    },
)

app.synth()
