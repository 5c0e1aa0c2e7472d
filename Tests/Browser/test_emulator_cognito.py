"""The Cognito gaps test support fills in moto (Tests/TestSupport/emulator/moto_patches.py),
each checked against what the AWS API reference says; every test fails on plain moto."""

import time
import uuid

import pytest
from botocore.exceptions import ClientError

from emulator import Emulator

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def emulator():
    running = Emulator()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pools(emulator):
    idp = emulator.client("cognito-idp", REGION)
    identity = emulator.client("cognito-identity", REGION)
    pool = idp.create_user_pool(PoolName=f"p{uuid.uuid4().hex[:6]}", UsernameAttributes=["email"],
                                AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="site",
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    provider = f"cognito-idp.{REGION}.amazonaws.com/{pool}"
    identity_pool = identity.create_identity_pool(
        IdentityPoolName=f"ids{uuid.uuid4().hex[:6]}", AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client}])["IdentityPoolId"]
    closed_pool = identity.create_identity_pool(IdentityPoolName="closed", AllowUnauthenticatedIdentities=False)["IdentityPoolId"]
    return {"idp": idp, "identity": identity, "pool": pool, "client": client, "provider": provider,
            "identity_pool": identity_pool, "closed_pool": closed_pool}


def user(pools, email, password="Album#Pass2026"):
    pools["idp"].sign_up(ClientId=pools["client"], Username=email, Password=password,
                         UserAttributes=[{"Name": "email", "Value": email}])
    pools["idp"].admin_confirm_sign_up(UserPoolId=pools["pool"], Username=email)
    answer = pools["idp"].initiate_auth(ClientId=pools["client"], AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": email, "PASSWORD": password})
    return answer["AuthenticationResult"]["IdToken"]


def error_code(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def test_get_id_keeps_one_identity_per_user_and_a_new_one_per_guest(pools):
    identity, pool_id, provider = pools["identity"], pools["identity_pool"], pools["provider"]
    ada, grace = user(pools, "ada@example.com"), user(pools, "grace@example.com")
    first = identity.get_id(IdentityPoolId=pool_id, Logins={provider: ada})["IdentityId"]
    assert identity.get_id(IdentityPoolId=pool_id, Logins={provider: ada})["IdentityId"] == first
    assert identity.get_id(IdentityPoolId=pool_id, Logins={provider: grace})["IdentityId"] != first
    guests = {identity.get_id(IdentityPoolId=pool_id)["IdentityId"] for _ in range(2)}
    assert len(guests) == 2 and first not in guests


def test_get_id_refuses_bad_logins_and_guests_of_a_closed_pool(pools):
    identity, pool_id, provider = pools["identity"], pools["identity_pool"], pools["provider"]
    token = user(pools, "tampered@example.com")
    head, body, signature = token.split(".")
    tampered = f"{head}.{body}.{signature[:-4]}AAAA"
    assert error_code(lambda: identity.get_id(IdentityPoolId=pool_id, Logins={provider: tampered})) == "NotAuthorizedException"
    assert error_code(lambda: identity.get_id(IdentityPoolId=pool_id, Logins={
        f"cognito-idp.{REGION}.amazonaws.com/{REGION}_Other": token})) == "NotAuthorizedException"
    assert error_code(lambda: identity.get_id(IdentityPoolId=pools["closed_pool"])) == "NotAuthorizedException"
    assert error_code(lambda: identity.get_id(IdentityPoolId=f"{REGION}:00000000-0000-0000-0000-000000000000")) \
        == "ResourceNotFoundException"


def test_credentials_need_the_identitys_own_login_and_differ_per_call(pools):
    identity, pool_id, provider = pools["identity"], pools["identity_pool"], pools["provider"]
    ada, grace = user(pools, "ada2@example.com"), user(pools, "grace2@example.com")
    ada_id = identity.get_id(IdentityPoolId=pool_id, Logins={provider: ada})["IdentityId"]
    first = identity.get_credentials_for_identity(IdentityId=ada_id, Logins={provider: ada})["Credentials"]
    second = identity.get_credentials_for_identity(IdentityId=ada_id, Logins={provider: ada})["Credentials"]
    assert first["AccessKeyId"] != second["AccessKeyId"] and first["AccessKeyId"].startswith("ASIA")
    assert first["Expiration"].timestamp() > time.time()
    assert error_code(lambda: identity.get_credentials_for_identity(IdentityId=ada_id)) == "NotAuthorizedException"
    assert error_code(lambda: identity.get_credentials_for_identity(IdentityId=ada_id, Logins={provider: grace})) \
        == "NotAuthorizedException"
    assert error_code(lambda: identity.get_credentials_for_identity(IdentityId=f"{REGION}:00000000-0000-0000-0000-000000000001")) \
        == "ResourceNotFoundException"


def test_resend_confirmation_code_answers_where_it_went_and_refuses_confirmed_users(pools):
    idp, client = pools["idp"], pools["client"]
    idp.sign_up(ClientId=client, Username="new@example.com", Password="Album#Pass2026",
                UserAttributes=[{"Name": "email", "Value": "new@example.com"}])
    details = idp.resend_confirmation_code(ClientId=client, Username="new@example.com")["CodeDeliveryDetails"]
    assert details == {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    idp.admin_confirm_sign_up(UserPoolId=pools["pool"], Username="new@example.com")
    assert error_code(lambda: idp.resend_confirmation_code(ClientId=client, Username="new@example.com")) == "InvalidParameterException"
    assert error_code(lambda: idp.resend_confirmation_code(ClientId=client, Username="nobody@example.com")) == "UserNotFoundException"


def test_confirm_forgot_password_takes_only_the_issued_code(pools):
    idp, client = pools["idp"], pools["client"]
    user(pools, "forgetful@example.com")
    answer = idp.forgot_password(ClientId=client, Username="forgetful@example.com")
    code = answer["ResponseMetadata"]["HTTPHeaders"]["x-moto-forgot-password-confirmation-code"]
    assert error_code(lambda: idp.confirm_forgot_password(ClientId=client, Username="forgetful@example.com",
                                                         ConfirmationCode="123456", Password="New#Pass2026")) == "CodeMismatchException"
    idp.confirm_forgot_password(ClientId=client, Username="forgetful@example.com", ConfirmationCode=code, Password="New#Pass2026")
    idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                      AuthParameters={"USERNAME": "forgetful@example.com", "PASSWORD": "New#Pass2026"})
