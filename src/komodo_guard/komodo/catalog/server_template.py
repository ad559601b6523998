"""A ServerTemplate (Komodo 1.16 only): cloud instances to launch as servers;
its config is a tagged enum ``{type, params}``."""

from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    ARRAY,
    BOOL,
    ENUM,
    INT,
    MAP,
    STRING,
    STRING_LIST,
    TABLE,
    field,
)

SERVER_TEMPLATE = kind(
    "server_template",
    (
        field("type", ENUM, "Aws", enum="ServerTemplateConfigVariant"),
        field(
            "params",
            TABLE,
            required=True,
            enum="ServerTemplateConfigVariant",
            variants={
                "Aws": (
                    field("region", STRING, "us-east-1"),
                    field("instance_type", STRING, "t3.small"),
                    field("ami_id", STRING, ""),
                    field("subnet_id", STRING, ""),
                    field("key_pair_name", STRING, ""),
                    field("assign_public_ip", BOOL, True),
                    field("use_public_ip", BOOL, False),
                    field("port", INT, 8120),
                    field("use_https", BOOL, True),
                    field("security_group_ids", STRING_LIST, []),
                    field(
                        "volumes",
                        ARRAY,
                        [
                            {
                                "device_name": "/dev/sda1",
                                "size_gb": 20,
                                "volume_type": "gp2",
                                "iops": 0,
                                "throughput": 0,
                            }
                        ],
                        items=TABLE,
                        fields=(
                            field("device_name", STRING, required=True),
                            field("size_gb", INT, required=True),
                            field(
                                "volume_type", ENUM, required=True, enum="AwsVolumeType"
                            ),
                            field("iops", INT, required=True),
                            field("throughput", INT, required=True),
                        ),
                    ),
                    # Default: a long cloud-init script installing docker and Periphery.
                    field("user_data", STRING),
                ),
                "Hetzner": (
                    field("image", STRING, "ubuntu-24.04"),
                    field(
                        "datacenter", ENUM, "Nuremberg1Dc3", enum="HetznerDatacenter"
                    ),
                    field("placement_group", INT, 0),
                    field(
                        "server_type",
                        ENUM,
                        "SharedAmd2Core2Ram40Disk",
                        enum="HetznerServerType",
                    ),
                    field("ssh_keys", STRING_LIST, []),
                    field("private_network_ids", ARRAY, [], items=INT),
                    field("enable_public_ipv4", BOOL, False),
                    field("enable_public_ipv6", BOOL, False),
                    field("use_public_ip", BOOL, False),
                    field("port", INT, 8120),
                    field("use_https", BOOL, True),
                    field("firewall_ids", ARRAY, [], items=INT),
                    field("labels", MAP, {}, value=field("value", STRING)),
                    field(
                        "volumes",
                        ARRAY,
                        [],
                        items=TABLE,
                        fields=(
                            field("name", STRING, required=True),
                            field("size_gb", INT, required=True),
                            field("format", ENUM, "Xfs", enum="HetznerVolumeFormat"),
                            field("labels", MAP, {}, value=field("value", STRING)),
                        ),
                    ),
                    # Default: a long cloud-init script installing docker and Periphery.
                    field("user_data", STRING),
                ),
            },
        ),
    ),
    tagged_config=True,
    until="1.17.5",
)
