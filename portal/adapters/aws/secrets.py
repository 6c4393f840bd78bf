"""SECRET_KEY from SSM Parameter Store (a SecureString), read once at start-up."""


def read_secret_parameter(name: str, region: str, endpoint_url: str | None = None) -> str:
    import boto3

    kwargs = {"region_name": region}
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    ssm = boto3.session.Session().client("ssm", **kwargs)
    return ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
