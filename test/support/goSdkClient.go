// A Go program as the tools Roles Anywhere users run are (Terraform, rclone, kubectl plugins): it gets its
// credentials from the AWS SDK for Go's default chain, v2's config.LoadDefaultConfig or v1's session (the
// first argument, "v2" or "v1"), from the environment it is given (a profile's credential_process, a
// credentials file, IMDS, the container endpoint), then signs STS GetCallerIdentity with them and sends it
// to STS_ENDPOINT (every STS call goes there: a profile's own AssumeRole too). It prints one line of JSON:
// the SDK, the provider that answered, the access key, the expiry the SDK holds, the caller's ARN; or the
// SDK's error on stderr, exiting 1.
//
// Built by test/e2e/sdkClients.go.test.ts in GOPATH mode against Debian's golang-github-aws-aws-sdk-go-dev
// and golang-github-aws-aws-sdk-go-v2-dev (scripts/setup.sh): no module proxy is needed.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	awsv1 "github.com/aws/aws-sdk-go/aws"
	sessionv1 "github.com/aws/aws-sdk-go/aws/session"
	stsv1 "github.com/aws/aws-sdk-go/service/sts"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

type result struct {
	SDK        string `json:"sdk"`
	Provider   string `json:"provider"`
	Key        string `json:"key"`
	Expiration string `json:"expiration,omitempty"`
	Arn        string `json:"arn"`
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func v2(ctx context.Context) result {
	// SigningRegion too: without it, this version signs for no region.
	toSTS := aws.EndpointResolverWithOptionsFunc(func(service, region string, _ ...interface{}) (aws.Endpoint, error) {
		if service != sts.ServiceID {
			return aws.Endpoint{}, &aws.EndpointNotFoundError{}
		}
		return aws.Endpoint{URL: os.Getenv("STS_ENDPOINT"), SigningRegion: region}, nil
	})
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"), config.WithRetryMaxAttempts(1), config.WithEndpointResolverWithOptions(toSTS))
	if err != nil {
		fail(err)
	}
	identity, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fail(err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		fail(err)
	}
	r := result{SDK: "v2", Provider: creds.Source, Key: creds.AccessKeyID, Arn: *identity.Arn}
	if creds.CanExpire {
		r.Expiration = utc(creds.Expires)
	}
	return r
}

func v1() result {
	sess, err := sessionv1.NewSessionWithOptions(sessionv1.Options{
		SharedConfigState: sessionv1.SharedConfigEnable,
		Config:            awsv1.Config{Region: awsv1.String("us-east-1"), MaxRetries: awsv1.Int(0), Endpoint: awsv1.String(os.Getenv("STS_ENDPOINT"))},
	})
	if err != nil {
		fail(err)
	}
	identity, err := stsv1.New(sess).GetCallerIdentity(&stsv1.GetCallerIdentityInput{})
	if err != nil {
		fail(err)
	}
	value, err := sess.Config.Credentials.Get()
	if err != nil {
		fail(err)
	}
	r := result{SDK: "v1", Provider: value.ProviderName, Key: value.AccessKeyID, Arn: *identity.Arn}
	// The default chain (IMDS, the container endpoint, the credentials file) tells no expiry.
	if expires, err := sess.Config.Credentials.ExpiresAt(); err == nil {
		r.Expiration = utc(expires)
	}
	return r
}

func main() {
	var r result
	if len(os.Args) > 1 && os.Args[1] == "v1" {
		r = v1()
	} else {
		r = v2(context.Background())
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}
