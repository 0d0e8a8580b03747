package fakeaws

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"time"
)

// Protocol selects how a fault or an error is written on the wire.
type Protocol int

const (
	// JSON is awsJson1_0/awsJson1_1 (ECS, CloudWatch Logs).
	JSON Protocol = iota
	// EC2Query is the EC2 query protocol.
	EC2Query
	// RESTXML is S3's REST-XML protocol.
	RESTXML
)

// Faults injects failures deterministically: every ThrottleEvery-th request
// is throttled, every ServerErrorEvery-th gets a 500, every DropEvery-th has
// its connection closed without a response. Zero disables a fault. Counting
// is over all requests the server sees, so a test run is repeatable.
type Faults struct {
	ThrottleEvery    int
	ServerErrorEvery int
	DropEvery        int
	// Delay is added before every response (slow endpoint).
	Delay time.Duration
}

// APIError is an error a handler returns to send a modelled AWS error.
type APIError struct {
	Status  int    // HTTP status; 400 when zero
	Code    string // e.g. "InvalidParameterException"
	Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Server is an httptest server with fault injection and an action log.
type Server struct {
	*httptest.Server
	proto   Protocol
	mu      sync.Mutex
	faults  Faults
	n       int
	calls   map[string]int
	served  map[string]bool // SDK invocation IDs already answered normally
	faulted map[string]int
	allowed map[string]bool

	cutEvery int // JSON servers: every n-th normal answer is cut mid-body
	answers  int
	cut      int
}

// ActionFunc extracts the action name from a request (for the log and the
// allow list); the handler sees the same request afterwards.
type ActionFunc func(r *http.Request) string

func newServer(proto Protocol, action ActionFunc, h http.Handler) *Server {
	s := &Server{proto: proto, calls: map[string]int{}, served: map[string]bool{}, faulted: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		act := action(r)
		s.mu.Lock()
		s.n++
		n, f := s.n, s.faults
		s.mu.Unlock()
		allowed := s.allows(act)
		if f.Delay > 0 {
			time.Sleep(f.Delay)
		}
		switch {
		case f.DropEvery > 0 && n%f.DropEvery == 0:
			s.count(act, true)
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case f.ThrottleEvery > 0 && n%f.ThrottleEvery == 0:
			s.count(act, true)
			s.WriteError(w, throttleError(proto))
			return
		case f.ServerErrorEvery > 0 && n%f.ServerErrorEvery == 0:
			s.count(act, true)
			s.WriteError(w, &APIError{Status: 500, Code: serverErrorCode(proto), Message: "injected server error"})
			return
		case !allowed:
			s.count(act, true)
			s.WriteError(w, &APIError{Status: 403, Code: accessDeniedCode(proto),
				Message: fmt.Sprintf("User is not authorized to perform: %s", act)})
			return
		}
		s.countServed(act, r.Header.Get("Amz-Sdk-Invocation-Id"))
		h.ServeHTTP(w, r)
	}))
	return s
}

func (s *Server) count(act string, faulted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if faulted {
		s.faulted[act]++
		return
	}
	s.calls[act]++
}

// countServed counts a normal answer once per SDK invocation: the SDK
// keeps the amz-sdk-invocation-id header across the attempts of one call,
// and it sometimes sends an attempt again after an answer was served, when
// reading the body fails on its side ("use of closed network connection",
// cf. aws/aws-sdk-go-v2#1825). Counting invocations keeps Calls exact.
func (s *Server) countServed(act, invocation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if invocation != "" {
		if s.served[invocation] {
			return
		}
		s.served[invocation] = true
	}
	s.calls[act]++
}

// SetFaults replaces the fault plan; the request counter keeps running.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// SetCutBodyEvery makes every n-th normally answered request of a JSON or
// EC2 query server (ECS, CloudWatch Logs, EC2) send its full
// Content-Length but only half
// of the body, then close the connection: the client sees a 200 status and
// an unexpected EOF while reading the body. Zero disables it. A cut answer
// counts as served in [Server.Calls] (the server did answer) and not in
// [Server.Faulted]; [Server.CutBodies] counts them.
func (s *Server) SetCutBodyEvery(n int) {
	s.mu.Lock()
	s.cutEvery = n
	s.mu.Unlock()
}

// CutBodies reports how many answers SetCutBodyEvery cut.
func (s *Server) CutBodies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cut
}

func (s *Server) cutThisBody() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers++
	if s.cutEvery > 0 && s.answers%s.cutEvery == 0 {
		s.cut++
		return true
	}
	return false
}

// Allow restricts the server to the given actions (e.g. "ecs:ListTasks" or
// just "ListTasks", whatever the ActionFunc returns): any other action is
// answered with an access-denied error, as IAM would. No action at all
// denies every action, as a role without a statement for the service is
// denied: a test that allows "the policy's actions of this service" must
// fail when the policy has none ([Server.AllowAll] lifts the restriction).
func (s *Server) Allow(actions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowed = map[string]bool{}
	for _, a := range actions {
		s.allowed[a] = true
	}
}

// AllowAll lifts the restriction of [Server.Allow]: every action is
// served, as by a new server.
func (s *Server) AllowAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowed = nil
}

// Calls returns how many calls of each action were served normally: SDK
// invocations, so an attempt the SDK sends again after a served answer is
// not counted twice (requests without the SDK's invocation ID count each).
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// Faulted returns how many requests of each action got an injected fault or
// an access-denied answer.
func (s *Server) Faulted() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.faulted))
	for k, v := range s.faulted {
		out[k] = v
	}
	return out
}

// Actions lists, sorted, every action that was requested at all.
func (s *Server) Actions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for k := range s.calls {
		seen[k] = true
	}
	for k := range s.faulted {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func throttleError(p Protocol) *APIError {
	switch p {
	case EC2Query:
		return &APIError{Status: 503, Code: "RequestLimitExceeded", Message: "Request limit exceeded."}
	case RESTXML:
		return &APIError{Status: 503, Code: "SlowDown", Message: "Please reduce your request rate."}
	default:
		return &APIError{Status: 400, Code: "ThrottlingException", Message: "Rate exceeded"}
	}
}

func serverErrorCode(p Protocol) string {
	switch p {
	case EC2Query, RESTXML:
		return "InternalError"
	default:
		return "InternalFailure"
	}
}

// allows reports whether Allow lets action through.
func (s *Server) allows(action string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.allowed == nil || s.allowed[action]
}

func accessDeniedCode(p Protocol) string {
	switch p {
	case EC2Query:
		return "UnauthorizedOperation"
	case RESTXML:
		return "AccessDenied"
	default:
		return "AccessDeniedException"
	}
}

// WriteError writes err in the server's protocol. A non-APIError becomes a
// 500 internal error.
func (s *Server) WriteError(w http.ResponseWriter, err error) {
	ae, ok := err.(*APIError)
	if !ok {
		ae = &APIError{Status: 500, Code: serverErrorCode(s.proto), Message: err.Error()}
	}
	status := ae.Status
	if status == 0 {
		status = 400
	}
	switch s.proto {
	case EC2Query:
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(status)
		type e struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		}
		type resp struct {
			XMLName   xml.Name `xml:"Response"`
			Errors    []e      `xml:"Errors>Error"`
			RequestID string   `xml:"RequestID"`
		}
		_ = xml.NewEncoder(w).Encode(resp{Errors: []e{{ae.Code, ae.Message}}, RequestID: "fake-request-id"})
	case RESTXML:
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		type resp struct {
			XMLName   xml.Name `xml:"Error"`
			Code      string   `xml:"Code"`
			Message   string   `xml:"Message"`
			RequestID string   `xml:"RequestId"`
		}
		_ = xml.NewEncoder(w).Encode(resp{Code: ae.Code, Message: ae.Message, RequestID: "fake-request-id"})
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", ae.Code)
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": ae.Code, "message": ae.Message})
	}
}
