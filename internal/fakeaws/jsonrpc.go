package fakeaws

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// JSONHandler answers one awsJson operation: it receives the raw request
// body and returns a value to encode as the response, or an error (use
// *APIError for a modelled AWS error).
type JSONHandler func(body []byte) (any, error)

// NewJSONServer serves an awsJson1_1 service whose X-Amz-Target values are
// "<targetPrefix>.<Operation>" (e.g. "AmazonEC2ContainerServiceV20141113"
// for ECS, "Logs_20140328" for CloudWatch Logs). Actions are logged as
// "<iamPrefix>:<Operation>" (e.g. "ecs:ListTasks").
func NewJSONServer(targetPrefix, iamPrefix string, ops map[string]JSONHandler) *Server {
	return newJSONServer(targetPrefix, iamPrefix, func(_ *http.Request, op string) (JSONHandler, bool) {
		h, ok := ops[op]
		return h, ok
	})
}

// newJSONServer is NewJSONServer with the handler of an operation chosen
// per request, which it may read (its headers: the SigV4 credential
// scope's Region, signedRegion).
func newJSONServer(targetPrefix, iamPrefix string, handler func(r *http.Request, op string) (JSONHandler, bool)) *Server {
	action := func(r *http.Request) string {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix+".")
		return iamPrefix + ":" + op
	}
	var s *Server
	s = newServer(JSON, action, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix+".")
		h, ok := handler(r, op)
		if !ok {
			s.WriteError(w, &APIError{Code: "UnknownOperationException", Message: "unknown operation " + op})
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			s.WriteError(w, err)
			return
		}
		out, err := h(body)
		if err != nil {
			s.WriteError(w, err)
			return
		}
		b, err := json.Marshal(out)
		if err != nil {
			s.WriteError(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		s.writeBody(w, b)
	}))
	return s
}

// writeBody writes an answer's body with its Content-Length, or, when
// SetCutBodyEvery says so, the full Content-Length and half the bytes,
// then closes the connection: the client meets an unexpected EOF reading
// the body, after a 200 status.
func (s *Server) writeBody(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if s.cutThisBody() {
		_, _ = w.Write(b[:len(b)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	_, _ = w.Write(b)
}

// NewEC2QueryServer serves an EC2-query-protocol service. Each handler gets
// the parsed form and returns the XML response body (already marshalled:
// EC2 responses are easiest to write with encoding/xml structs).
func NewEC2QueryServer(iamPrefix string, ops map[string]func(form map[string][]string) ([]byte, error)) *Server {
	action := func(r *http.Request) string {
		_ = r.ParseForm()
		return iamPrefix + ":" + r.Form.Get("Action")
	}
	var s *Server
	s = newServer(EC2Query, action, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := r.Form.Get("Action")
		h, ok := ops[op]
		if !ok {
			s.WriteError(w, &APIError{Code: "InvalidAction", Message: "unknown action " + op})
			return
		}
		out, err := h(r.Form)
		if err != nil {
			s.WriteError(w, err)
			return
		}
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		s.writeBody(w, out)
	}))
	return s
}

// NewRESTServer serves a REST-XML service (S3). action names the request
// for the log and allow list (e.g. "s3:GetObject").
func NewRESTServer(action ActionFunc, h func(s *Server, w http.ResponseWriter, r *http.Request)) *Server {
	var s *Server
	s = newServer(RESTXML, action, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(s, w, r)
	}))
	return s
}
