package scheduler

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Expr is a compiled cluster query language expression [cluster-query-language]:
//
//	expr    = and { "or" and }
//	and     = unary { "and" unary }
//	unary   = "(" expr ")" | "not" "(" expr ")" | compare
//	compare = subject operator [ argument ]
//	subject = "attribute:" NAME | "ec2InstanceId" | "runningTasksCount" | "task:group"
//	argument= value | "[" value { "," value } "]"   (a list for in and !in)
//	value   = bare word | 'single quoted' | "double quoted"
//
// Operators: == != > >= < <= exists !exists in !in =~ !~. Valid per subject
// as the ECS guide lists them: attribute:NAME takes all; ec2InstanceId takes
// == != in !in =~ !~; runningTasksCount takes == != > >= < <= with an
// integer; task:group takes == != in !in =~ !~ exists !exists.
//
// Model assumption: "and" binds tighter than "or" (the guide's examples use
// parentheses and never rely on precedence); the keywords and, or and not are case-insensitive
// (operators such as in and exists are not).
//
// =~ and !~ take a Go regexp anchored to the whole value, as ECS matches it:
// "m6i.*" matches "m6i.xlarge" and "m6i", not "xm6i.large". A bare regexp may
// hold balanced parentheses ("(m5|m6i)\..*"); quote it when it holds spaces,
// commas or brackets.
type Expr struct {
	src  string
	root *qnode
}

// String returns the source text.
func (e *Expr) String() string { return e.src }

// ParseError is a syntax or validity error in a query expression: Token is
// the offending token and Offset its byte offset in Expr.
type ParseError struct {
	Expr   string
	Offset int
	Token  string
	Msg    string
}

func (e *ParseError) Error() string {
	tok := e.Token
	if tok == "" {
		tok = "end of expression"
	} else {
		tok = strconv.Quote(tok)
	}
	return fmt.Sprintf("query %q: offset %d: %s: %s", e.Expr, e.Offset, tok, e.Msg)
}

type qop uint8

const (
	opEq qop = iota
	opNe
	opGt
	opGe
	opLt
	opLe
	opExists
	opNotExists
	opIn
	opNotIn
	opMatch
	opNotMatch
)

var opNames = map[string]qop{
	"==": opEq, "!=": opNe, ">": opGt, ">=": opGe, "<": opLt, "<=": opLe,
	"exists": opExists, "!exists": opNotExists, "in": opIn, "!in": opNotIn,
	"=~": opMatch, "!~": opNotMatch,
}

// negated reports whether the operator is the negation of a positive one
// (true for an instance without the subject's value).
func (o qop) negated() bool {
	return o == opNe || o == opNotIn || o == opNotMatch || o == opNotExists
}

type subject uint8

const (
	subjAttr subject = iota
	subjEC2ID
	subjRunning
	subjGroup
)

// validOps lists the operators each subject takes [cluster-query-language].
var validOps = [...][]qop{
	subjAttr:    {opEq, opNe, opGt, opGe, opLt, opLe, opExists, opNotExists, opIn, opNotIn, opMatch, opNotMatch},
	subjEC2ID:   {opEq, opNe, opIn, opNotIn, opMatch, opNotMatch},
	subjRunning: {opEq, opNe, opGt, opGe, opLt, opLe},
	subjGroup:   {opEq, opNe, opIn, opNotIn, opMatch, opNotMatch, opExists, opNotExists},
}

type qkind uint8

const (
	qCmp qkind = iota
	qAnd
	qOr
	qNot
)

type qnode struct {
	kind qkind
	l, r *qnode

	subj subject
	attr string
	op   qop
	arg  string
	args []string
	num  int64
	re   *regexp.Regexp
}

// ParseExpression compiles a cluster query language expression. Errors are
// *ParseError values naming the offending token and its byte offset.
func ParseExpression(expr string) (*Expr, error) {
	p := &qparser{src: expr}
	if strings.TrimSpace(expr) == "" {
		return nil, p.errAt(len(expr), "", "empty expression")
	}
	root, err := p.parseOr()
	if err == nil {
		if t := p.next(); t.kind != tEOF {
			err = p.errAt(t.off, t.text, "unexpected token: want \"and\", \"or\" or the end")
		}
	}
	if p.lexErr != nil {
		return nil, p.lexErr
	}
	if err != nil {
		return nil, err
	}
	return &Expr{src: expr, root: root}, nil
}

// Match reports whether the expression selects instance id of c.
func (e *Expr) Match(c *Cluster, id InstanceID) bool { return e.root.eval(c, id) }

func (n *qnode) eval(c *Cluster, id InstanceID) bool {
	switch n.kind {
	case qAnd:
		return n.l.eval(c, id) && n.r.eval(c, id)
	case qOr:
		return n.l.eval(c, id) || n.r.eval(c, id)
	case qNot:
		return !n.l.eval(c, id)
	}
	switch n.subj {
	case subjAttr:
		v, ok := c.attrs[id][n.attr]
		// Model assumption: an instance without the attribute satisfies only
		// the negated operators (!=, !in, !~, !exists).
		if !ok {
			return n.op.negated()
		}
		return n.compareString(v)
	case subjEC2ID:
		return n.compareString(c.ec2ID[id])
	case subjRunning:
		return compareOrdered(int64(c.in[id].tasks), n.num, n.op)
	case subjGroup:
		// Model assumption: task:group is the set of groups with a task on
		// the instance. A positive operator (==, in, =~) holds when some
		// task's group satisfies it; its negation (!=, !in, !~) when none
		// does, so `task:group != service:db` keeps away from db's
		// instances. exists means the instance runs at least one task.
		if n.op == opExists || n.op == opNotExists {
			return (c.in[id].tasks > 0) == (n.op == opExists)
		}
		pos := n.op
		switch n.op {
		case opNe:
			pos = opEq
		case opNotIn:
			pos = opIn
		case opNotMatch:
			pos = opMatch
		}
		any := false
		first, rest := c.groups.lists(id)
		for _, gs := range [2][]groupCount{first, rest} {
			for _, gc := range gs {
				tmp := qnode{op: pos, arg: n.arg, args: n.args, re: n.re}
				if !any && tmp.compareString(c.GroupName(gc.group)) {
					any = true
				}
			}
		}
		return any != n.op.negated()
	}
	return false
}

// compareString applies the operator to a present string value.
func (n *qnode) compareString(v string) bool {
	switch n.op {
	case opEq:
		return v == n.arg
	case opNe:
		return v != n.arg
	case opExists:
		return true
	case opNotExists:
		return false
	case opIn:
		return slices.Contains(n.args, v)
	case opNotIn:
		return !slices.Contains(n.args, v)
	case opMatch:
		return n.re.MatchString(v)
	case opNotMatch:
		return !n.re.MatchString(v)
	}
	// Model assumption: > >= < <= on attributes compare numerically when both
	// sides parse as numbers, else as strings (byte order).
	a, errA := strconv.ParseFloat(v, 64)
	b, errB := strconv.ParseFloat(n.arg, 64)
	if errA == nil && errB == nil {
		switch {
		case a < b:
			return n.op == opLt || n.op == opLe
		case a > b:
			return n.op == opGt || n.op == opGe
		}
		return n.op == opGe || n.op == opLe
	}
	cmp := strings.Compare(v, n.arg)
	return compareOrdered(int64(cmp), 0, n.op)
}

func compareOrdered(a, b int64, op qop) bool {
	switch op {
	case opEq:
		return a == b
	case opNe:
		return a != b
	case opGt:
		return a > b
	case opGe:
		return a >= b
	case opLt:
		return a < b
	case opLe:
		return a <= b
	}
	return false
}

// ---- lexer and parser ----

type tkind uint8

const (
	tEOF tkind = iota
	tLParen
	tRParen
	tLBrack
	tRBrack
	tComma
	tWord   // bare word, keyword or subject
	tString // quoted value (text without quotes)
	tOp     // comparison operator
	tBad    // lexical error (recorded in qparser.lexErr)
)

type token struct {
	kind tkind
	text string
	off  int
}

type qparser struct {
	src    string
	pos    int
	peeked *token
	lexErr *ParseError // the first lexical error, reported before any parse error
}

func (p *qparser) errAt(off int, tok, msg string) *ParseError {
	return &ParseError{Expr: p.src, Offset: off, Token: tok, Msg: msg}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func isDelim(b byte) bool {
	return isSpace(b) || b == '(' || b == ')' || b == '[' || b == ']' || b == ',' || b == '\'' || b == '"'
}

func (p *qparser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *qparser) peek() token {
	if p.peeked == nil {
		t := p.lex()
		p.peeked = &t
	}
	return *p.peeked
}

func (p *qparser) next() token {
	t := p.peek()
	p.peeked = nil
	return t
}

func (p *qparser) lex() token {
	p.skipSpace()
	s, i := p.src, p.pos
	if i >= len(s) {
		return token{kind: tEOF, off: i}
	}
	if k := strings.IndexByte("()[],", s[i]); k >= 0 {
		p.pos++
		return token{kind: [...]tkind{tLParen, tRParen, tLBrack, tRBrack, tComma}[k], text: s[i : i+1], off: i}
	}
	switch s[i] {
	case '\'', '"':
		j := strings.IndexByte(s[i+1:], s[i])
		if j < 0 {
			p.pos = len(s)
			if p.lexErr == nil {
				p.lexErr = p.errAt(i, s[i:], "unterminated quoted string")
			}
			return token{kind: tBad, text: s[i:], off: i}
		}
		p.pos = i + 1 + j + 1
		return token{kind: tString, text: s[i+1 : i+1+j], off: i}
	case '=', '!', '<', '>':
		for _, op := range [...]string{"==", "=~", "!=", "!~", ">=", "<=", ">", "<"} {
			if strings.HasPrefix(s[i:], op) {
				p.pos = i + len(op)
				return token{kind: tOp, text: op, off: i}
			}
		}
		if s[i] == '=' {
			// a lone "=": not an operator, and values may not start with it
			p.pos = i + 1
			return token{kind: tOp, text: "=", off: i}
		}
	}
	j := i + 1
	for j < len(s) && !isDelim(s[j]) {
		j++
	}
	p.pos = j
	return token{kind: tWord, text: s[i:j], off: i}
}

// rawRegexp reads a bare regexp argument: up to whitespace, or a ")" that
// closes a parenthesis opened before the argument.
func (p *qparser) rawRegexp() token {
	p.skipSpace()
	s, i := p.src, p.pos
	if i < len(s) && (s[i] == '\'' || s[i] == '"') {
		return p.next()
	}
	depth, j := 0, i
	for j < len(s) && !isSpace(s[j]) {
		if s[j] == '\\' && j+1 < len(s) {
			j += 2
			continue
		}
		if s[j] == '(' {
			depth++
		} else if s[j] == ')' {
			if depth == 0 {
				break
			}
			depth--
		}
		j++
	}
	p.pos = j
	if j == i {
		return token{kind: tEOF, off: i}
	}
	return token{kind: tWord, text: s[i:j], off: i}
}

func isKeyword(t token, kw string) bool { return t.kind == tWord && strings.EqualFold(t.text, kw) }

func (p *qparser) parseOr() (*qnode, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for isKeyword(p.peek(), "or") {
		p.next()
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &qnode{kind: qOr, l: l, r: r}
	}
	return l, nil
}

func (p *qparser) parseAnd() (*qnode, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for isKeyword(p.peek(), "and") {
		p.next()
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		l = &qnode{kind: qAnd, l: l, r: r}
	}
	return l, nil
}

func (p *qparser) parseUnary() (*qnode, error) {
	t := p.peek()
	neg := false
	if isKeyword(t, "not") {
		p.next()
		neg = true
		t = p.peek()
		if t.kind != tLParen {
			return nil, p.errAt(t.off, t.text, "want \"(\" after not")
		}
	}
	if t.kind == tLParen {
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.errAt(c.off, c.text, "want \")\"")
		}
		if neg {
			e = &qnode{kind: qNot, l: e}
		}
		return e, nil
	}
	return p.parseCompare()
}

func (p *qparser) parseCompare() (*qnode, error) {
	t := p.next()
	if t.kind != tWord {
		return nil, p.errAt(t.off, t.text, "want a subject (attribute:NAME, ec2InstanceId, runningTasksCount, task:group)")
	}
	n := &qnode{kind: qCmp}
	switch {
	case t.text == "ec2InstanceId":
		n.subj = subjEC2ID
	case t.text == "runningTasksCount":
		n.subj = subjRunning
	case t.text == "task:group":
		n.subj = subjGroup
	case strings.HasPrefix(t.text, "attribute:") && len(t.text) > len("attribute:"):
		n.subj = subjAttr
		n.attr = t.text[len("attribute:"):]
	case t.text == "agentConnected" || t.text == "agentVersion" || t.text == "registeredAt":
		return nil, p.errAt(t.off, t.text, "subject not modelled by ecssim")
	default:
		return nil, p.errAt(t.off, t.text, "unknown subject: want attribute:NAME, ec2InstanceId, runningTasksCount or task:group")
	}
	o := p.next()
	op, ok := qop(0), false
	if o.kind == tOp || o.kind == tWord {
		op, ok = opNames[o.text]
	}
	if !ok {
		return nil, p.errAt(o.off, o.text, "want an operator (== != > >= < <= exists !exists in !in =~ !~)")
	}
	if !slices.Contains(validOps[n.subj], op) {
		return nil, p.errAt(o.off, o.text, fmt.Sprintf("operator not valid for subject %s", t.text))
	}
	n.op = op
	switch op {
	case opExists, opNotExists:
		return n, nil
	case opIn, opNotIn:
		return n, p.parseList(n)
	case opMatch, opNotMatch:
		a := p.rawRegexp()
		if a.kind != tWord && a.kind != tString {
			return nil, p.errAt(a.off, a.text, "want a regular expression")
		}
		re, err := regexp.Compile("^(?:" + a.text + ")$")
		if err != nil {
			return nil, p.errAt(a.off, a.text, "bad regular expression: "+err.Error())
		}
		n.arg, n.re = a.text, re
		return n, nil
	}
	a := p.next()
	if a.kind != tWord && a.kind != tString {
		return nil, p.errAt(a.off, a.text, "want a value")
	}
	n.arg = a.text
	if n.subj == subjRunning {
		v, err := strconv.ParseInt(a.text, 10, 32)
		if err != nil || v < 0 {
			return nil, p.errAt(a.off, a.text, "runningTasksCount compares with a non-negative integer")
		}
		n.num = v
	}
	return n, nil
}

func (p *qparser) parseList(n *qnode) error {
	t := p.next()
	if t.kind != tLBrack {
		return p.errAt(t.off, t.text, "want a list \"[a, b]\"")
	}
	for {
		v := p.next()
		if v.kind != tWord && v.kind != tString {
			return p.errAt(v.off, v.text, "want a value in the list")
		}
		n.args = append(n.args, v.text)
		sep := p.next()
		if sep.kind == tRBrack {
			return nil
		}
		if sep.kind != tComma {
			return p.errAt(sep.off, sep.text, "want \",\" or \"]\"")
		}
	}
}
