// Autosave feedback for the assessment pages. htmx posts each answer as it is given; this shows
// "Saving…" while a save is under way, and when the connection drops it says so, keeps the page
// as it is and retries, so an answer is never silently lost.
(function () {
  'use strict'
  var RETRY_MS = 5000
  var pending = {}

  function statusOf (block) {
    return block.querySelector('.app-save-status')
  }

  function say (block, text, isError) {
    var status = statusOf(block)
    if (!status) return
    status.textContent = text
    status.classList.toggle('app-save-status--error', !!isError)
  }

  document.body.addEventListener('htmx:beforeRequest', function (event) {
    var block = event.detail.elt
    if (!block.classList.contains('app-question')) return
    pending[block.id] = true
    say(block, 'Saving…', false)
  })

  document.body.addEventListener('htmx:afterRequest', function (event) {
    var block = event.detail.elt
    if (!block.classList || !block.classList.contains('app-question')) return
    if (event.detail.successful) {
      delete pending[block.id]
      return
    }
    var status = event.detail.xhr ? event.detail.xhr.status : 0
    if (status >= 400 && status < 500) {
      // Refused as it stands (e.g. far too long to send): trying again would be refused again.
      delete pending[block.id]
      say(block, status === 400 || status === 413
        ? 'Not saved: the answer or note was not accepted. Shorten the note and try again.'
        : 'Not saved: you cannot change this answer now. Reload the page to see why.', true)
      return
    }
    var offline = status === 0
    say(block, offline
      ? 'Not saved yet: the connection was lost. Your answer is kept on this page and will be saved when it returns.'
      : 'Not saved: the server could not save this answer. It will be tried again.', true)
    window.setTimeout(function () {
      if (document.body.contains(block)) window.htmx.trigger(block, 'retry')
    }, RETRY_MS)
  })

  window.addEventListener('beforeunload', function (event) {
    if (Object.keys(pending).length) {
      event.preventDefault()
      event.returnValue = ''
    }
  })
})()
