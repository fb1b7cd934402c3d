"""An example cdk8s app with two Scalr agent pools: a current one (chart 0.6.5, agent 1.4.0) with a
token from an existing Secret, a persistent provider and module cache on a ReadWriteMany claim
and two controller replicas, and a legacy pool that stays on chart 0.5.62 (agent 0.55.2).

`python main.py` (or `cdk8s synth`) writes the manifests to dist/.
"""
import cdk8s_plus_30 as kplus
from cdk8s import App, Size
from cdk8s_scalr_agent_job import AgentJobChart, AgentToken, ChartVersion, VolumeStorage

app = App()

AgentJobChart(
    app,
    "scalr-agent",
    version=ChartVersion.V0_6_5,  # pin it: the default follows the library's latest chart version
    release_name="scalr-agent",
    namespace="scalr",
    token=AgentToken.from_secret_name("scalr-agent-token", "token"),
    agent={
        "url": "https://example.scalr.io",
        "replicas": 2,
        "provider_cache": {"enabled": True, "size_limit": Size.gibibytes(20)},
        "module_cache": {"enabled": True, "size_limit": Size.gibibytes(10)},
    },
    persistence={
        "cache": VolumeStorage.new_claim(
            storage=Size.gibibytes(50),
            access_mode=kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
        ),
    },
)

AgentJobChart(
    app,
    "legacy-agent",
    version=ChartVersion.V0_5_62,
    release_name="legacy-agent",
    namespace="scalr-legacy",
    token=AgentToken.from_secret_name("legacy-agent-token"),
    agent={"url": "https://example.scalr.io"},
)

app.synth()
